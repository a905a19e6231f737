using System.Diagnostics;
using SparseSearch.Bench;
using SparseSearch.Bench.Synthetic;
using SparseSearch.Core;
using SparseSearch.Index;
using SparseSearch.Index.Impact;
using SparseSearch.Index.Sharding;

namespace SparseSearch.Cluster.Bench;

/// <summary>
/// The cluster bench: the synthetic corpus split into each shard count, served by one silo in this process and
/// queried through a client over loopback (serialization and messaging included), against the unsharded index
/// searched directly. Every query's top k is checked against the single node's. On one machine the shards share its
/// cores: the figures show what scatter-gather costs and what parallel shards gain here, not a cluster of machines.
/// </summary>
public static class ClusterBench
{
    public const string InferenceFree = "inference_free";
    public const string Expanded = "expanded";

    public static async Task<ClusterBenchReport> RunAsync(BenchOptions options, IReadOnlyList<int> shardCounts, int concurrency, IProgress<JobProgress>? progress,
        CancellationToken cancellation)
    {
        var corpus = new SyntheticCorpus(options.Corpus);
        var work = Path.Combine(options.WorkDirectory, $"{options.Corpus.Documents}-seed{options.Corpus.Seed}");
        var single = SyntheticIndexes.BuildImpact(corpus, Path.Combine(work, "impact"), options.Rebuild, options.Approximate, progress, cancellation);
        using var impact = ImpactIndexSearcher.Open(single.Path, IndexManifest.Read(single.Path));
        var queryEncoder = SyntheticIndexes.Encoder.CreateQueryEncoder(impact);
        var sets = new SortedDictionary<string, SparseVector[]>(StringComparer.Ordinal)
        {
            [InferenceFree] = corpus.InferenceFreeQueries.Select(tokens => queryEncoder.Encode(string.Join(' ', tokens))).ToArray(),
            [Expanded] = corpus.ExpandedQueries.ToArray(),
        };
        var k = options.K;
        var expected = sets.ToDictionary(s => s.Key, s => s.Value.Select(q => Top(impact, q, k)).ToArray());

        var singleLatency = new SortedDictionary<string, LatencyStats>(StringComparer.Ordinal);
        var singleQps = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, queries) in sets)
        {
            singleLatency[name] = await Time(queries, options.Rounds, q => Task.FromResult(impact.SearchTopDocs(q, k)));
            singleQps[name] = await Throughput(queries, options.Rounds, concurrency, q => Task.Run(() => impact.SearchTopDocs(q, k)));
        }

        var sharded = new List<ShardedFigures>();
        var ratios = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var shards in shardCounts)
        {
            var path = Path.Combine(work, $"shards-{shards}");
            var clock = Stopwatch.StartNew();
            var built = !ClusterManifest.ExistsIn(path) || options.Rebuild;
            ShardedIndexBuilder.EnsureBuiltFromVectors(corpus, SyntheticIndexes.Encoder, path,
                new IndexBuildOptions { StoreText = false, Overwrite = true, Approximate = options.Approximate }, shards, progress, cancellation);
            var buildSeconds = built ? clock.Elapsed.TotalSeconds : (double?)null;
            var bytes = new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
            var largest = Enumerable.Range(0, shards).Max(s => IndexManifest.Read(ClusterManifest.ShardPath(path, s)).DocumentCount);

            await using var silo = await InProcessSilo.StartAsync(path, cancellation);
            var identical = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var latency = new SortedDictionary<string, LatencyStats>(StringComparer.Ordinal);
            var qps = new SortedDictionary<string, double>(StringComparer.Ordinal);
            foreach (var (name, queries) in sets)
            {
                // The check doubles as the warm-up: every shard opened, every query's postings read once.
                var same = 0;
                for (var i = 0; i < queries.Length; i++)
                {
                    var hits = await silo.Backend.SearchVectorAsync(Weights(queries[i]), k, cancellation);
                    same += hits.Failed == 0 && hits.Hits.Select(h => (h.Id, h.Score)).SequenceEqual(expected[name][i]) ? 1 : 0;
                }

                identical[name] = same;
                latency[name] = await Time(queries, options.Rounds, q => silo.Backend.SearchVectorAsync(Weights(q), k, cancellation));
                qps[name] = await Throughput(queries, options.Rounds, concurrency, q => silo.Backend.SearchVectorAsync(Weights(q), k, cancellation));
                ratios[$"{name}_p50_{shards}_shards_vs_single_node"] = latency[name].P50Ms / singleLatency[name].P50Ms;
                ratios[$"{name}_qps_{shards}_shards_vs_single_node"] = qps[name] / singleQps[name];
            }

            sharded.Add(new ShardedFigures(shards, buildSeconds, bytes, (double)bytes / single.Documents, largest, identical, latency, qps));
        }

        return new ClusterBenchReport(single.Documents, options.Corpus.Seed, k, options.Rounds, concurrency, Environment.ProcessorCount,
            sets.ToDictionary(s => s.Key, s => s.Value.Length), singleLatency, singleQps, sharded, ratios, Process.GetCurrentProcess().PeakWorkingSet64);
    }

    private static (string, float)[] Top(ImpactIndexSearcher searcher, SparseVector query, int k) =>
        searcher.SearchTopDocs(query, k).ScoreDocs.Select(d => (searcher.IdOf(d.Doc), d.Score)).ToArray();

    private static Dictionary<string, float> Weights(SparseVector query) => query.Weights.ToDictionary(StringComparer.Ordinal);

    /// <summary>Each query on its own, all queries in turn, <paramref name="rounds"/> times.</summary>
    private static async Task<LatencyStats> Time<T>(SparseVector[] queries, int rounds, Func<SparseVector, Task<T>> search)
    {
        var samples = new List<double>(queries.Length * rounds);
        for (var round = 0; round < rounds; round++)
        {
            foreach (var query in queries)
            {
                var clock = Stopwatch.StartNew();
                await search(query);
                samples.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        return LatencyStats.From(samples);
    }

    /// <summary>Queries per second with <paramref name="concurrency"/> in flight, over all queries <paramref name="rounds"/> times.</summary>
    private static async Task<double> Throughput<T>(SparseVector[] queries, int rounds, int concurrency, Func<SparseVector, Task<T>> search)
    {
        var next = -1;
        var total = queries.Length * rounds;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < total; i = Interlocked.Increment(ref next))
            {
                await search(queries[i % queries.Length]);
            }
        })));
        return total / clock.Elapsed.TotalSeconds;
    }
}
