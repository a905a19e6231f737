using SparseSearch.Bench.Synthetic;

namespace SparseSearch.Bench;

/// <summary>Knobs of <c>sparse bench</c>; each has a flag and this default.</summary>
public sealed record BenchOptions
{
    public SyntheticCorpusSpec Corpus { get; init; } = new();

    /// <summary>Where the bench keeps its two indexes; reused by later runs over the same corpus unless Rebuild.</summary>
    public string WorkDirectory { get; init; } = "index/bench";

    public bool Rebuild { get; init; }

    public int K { get; init; } = 10;

    /// <summary>Timed passes over each query set; algorithms alternate query by query so drift hits all alike.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>
    /// Buckets (of the corpus's 1,000) each filtered query accepts: 10 is a 1%-selective filter, 1 a 0.1% one. Each
    /// query filters on a different range of buckets.
    /// </summary>
    public int FilterBuckets { get; init; } = 10;
}
