using SparseSearch.Index.Approximate;

namespace SparseSearch.Tests.Index;

/// <summary>
/// The cut choosing the best n proposals (<see cref="ProposalCut"/>) against a full sort (partial score descending,
/// lower document first), the proposals shuffled: ties at the threshold, a range too wide for one bin per value,
/// negative scores, every score equal, and n at and beyond the number of proposals.
/// </summary>
public class ProposalCutTests
{
    [Theory]
    [InlineData(0, 1_000, 10)]
    [InlineData(1, 5_000, 800)]
    [InlineData(2, 5_000, 4_999)]
    [InlineData(3, 300, 300)]
    [InlineData(4, 300, 1_000)]
    public void The_cut_takes_exactly_what_a_full_sort_ranks_first(int kind, int count, int wanted)
    {
        var random = new Random(kind * 31 + count);
        var partials = Enumerable.Range(0, count).Select(_ => kind switch
        {
            0 => (long)random.Next(0, 20),                                  // ties everywhere, threshold inside a tie
            1 => random.NextInt64(0, long.MaxValue / 2),                    // wide: bins hold many values each
            2 => random.NextInt64(-1_000_000_000_000, 1_000_000_000_000),   // negative scores
            3 => 42L,                                                        // all equal
            _ => (long)random.Next(),
        }).ToArray();
        var proposals = partials.Select((p, i) => new Proposal(i, p)).ToArray();
        random.Shuffle(proposals);

        var expected = proposals.OrderByDescending(p => p.Partial).ThenBy(p => p.Doc).Take(wanted).Select(p => p.Doc).Order().ToArray();
        var cut = ProposalCut.Of(proposals, wanted);
        var taken = proposals.Where(cut.Takes).Select(p => p.Doc).Order().ToArray();

        Assert.Equal(expected, taken);
    }
}
