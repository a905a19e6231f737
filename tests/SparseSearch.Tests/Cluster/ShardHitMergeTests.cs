using SparseSearch.Cluster;

namespace SparseSearch.Tests.Cluster;

/// <summary>The cluster's merge against orders worked out by hand.</summary>
public class ShardHitMergeTests
{
    private static ShardHit Hit(string id, float score, long sum, long sequence) =>
        new() { Id = id, Score = score, ExactSum = sum, Sequence = sequence, Title = "", Snippet = "", Highlights = [] };

    [Fact]
    public void Equal_float_scores_are_ordered_by_their_exact_sums_then_by_corpus_position()
    {
        // b and c print the same float score but c's exact sum is larger: c ranks first, as one node ranks it.
        // a and d tie exactly: the earlier corpus position (d, 3) comes first, whichever shard holds it.
        var shard0 = new[] { Hit("c", 1.5f, 1_500_000_000_000_001, 40), Hit("a", 1.0f, 1_000_000_000_000_000, 7) };
        var shard1 = new[] { Hit("b", 1.5f, 1_500_000_000_000_000, 2), Hit("d", 1.0f, 1_000_000_000_000_000, 3) };

        var merged = ShardHitMerge.Top([shard0, shard1], 3);

        Assert.Equal(["c", "b", "d"], merged.Select(h => h.Id));
    }
}
