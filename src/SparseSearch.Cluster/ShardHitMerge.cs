namespace SparseSearch.Cluster;

/// <summary>
/// Merges the shards' top hits into the cluster's: by exact score sum (every shard scored on the cluster's one
/// fixed-point step, so sums compare where float scores tie), ties by corpus position (<see cref="ShardHit.Sequence"/>),
/// which is the order one node's document numbers give a corpus built in one job. Each shard's list is its exact top
/// in that same order, so the first n of the merge are the cluster's exact top n.
/// </summary>
public static class ShardHitMerge
{
    public static IReadOnlyList<ShardHit> Top(IEnumerable<IReadOnlyList<ShardHit>> shards, int count) => shards
        .SelectMany((hits, shard) => hits.Select(hit => (hit, shard)))
        .OrderByDescending(h => h.hit.ExactSum)
        .ThenBy(h => h.hit.Sequence)
        .ThenBy(h => h.shard)
        .Take(count)
        .Select(h => h.hit)
        .ToArray();
}
