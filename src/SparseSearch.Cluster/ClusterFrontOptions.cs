namespace SparseSearch.Cluster;

/// <summary>How the front end waits on shards.</summary>
/// <param name="ShardTimeout">How long one call to a shard may take before the shard counts as failed (a partial answer, or 503).</param>
public sealed record ClusterFrontOptions(TimeSpan ShardTimeout)
{
    public static readonly TimeSpan DefaultShardTimeout = TimeSpan.FromSeconds(10);
}
