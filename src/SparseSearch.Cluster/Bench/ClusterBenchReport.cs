using SparseSearch.Bench;

namespace SparseSearch.Cluster.Bench;

/// <summary>One shard count's figures: the index split that way, and queries answered through a silo.</summary>
/// <param name="LargestShardDocuments">Documents of the largest shard (routing by hash is not perfectly even).</param>
/// <param name="IdenticalToSingleNode">Queries whose top k (ids, scores, order) equal the single node's, per query set.</param>
/// <param name="Latency">One query at a time, per query set.</param>
/// <param name="Qps">Queries per second with <see cref="ClusterBenchReport.Concurrency"/> queries in flight, per query set.</param>
public sealed record ShardedFigures(int Shards, double? BuildSeconds, long Bytes, double BytesPerDocument, long LargestShardDocuments,
    IReadOnlyDictionary<string, int> IdenticalToSingleNode, IReadOnlyDictionary<string, LatencyStats> Latency, IReadOnlyDictionary<string, double> Qps);

/// <summary>
/// <c>sparse bench --shards</c>: the same corpus split into 1, 2, 4… shards and served by one silo through a client,
/// against the single node searched directly in this process, in one run.
/// </summary>
/// <param name="SingleNode">The unsharded index searched in-process, one query at a time (no messaging): the baseline.</param>
/// <param name="Ratios">Each shard count's p50 and QPS against the single node's, per query set.</param>
/// <param name="Cores">Cores of this machine: a silo's shards search in parallel on them, so more shards than cores cannot go faster.</param>
public sealed record ClusterBenchReport(long Documents, int Seed, int K, int Rounds, int Concurrency, int Cores, IReadOnlyDictionary<string, int> Queries,
    IReadOnlyDictionary<string, LatencyStats> SingleNode, IReadOnlyDictionary<string, double> SingleNodeQps, IReadOnlyList<ShardedFigures> Sharded,
    IReadOnlyDictionary<string, double> Ratios, long PeakWorkingSetBytes);
