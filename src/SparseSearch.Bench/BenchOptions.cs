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

    /// <summary>How the bench index's approximate structures are built (the bench always builds them, to sweep them).</summary>
    public Index.Approximate.ApproximateIndexSettings Approximate { get; init; } = new();

    /// <summary>Query terms (the cut) swept by the approximate curve; int.MaxValue is "all".</summary>
    public IReadOnlyList<int> ApproximateQueryTerms { get; init; } = [8, 12, 16];

    /// <summary>Candidates scored exactly, swept by the approximate curve.</summary>
    public IReadOnlyList<int> ApproximateCandidates { get; init; } = [400, 800, 1200, 1600, 2400];

    /// <summary>Only the approximate curve (and its exact baseline): skips the exhaustive, Lucene and filter timings.</summary>
    public bool ApproximateOnly { get; init; }

    /// <summary>Only the filtered figures (and their unfiltered and postings-only baselines).</summary>
    public bool FilteredOnly { get; init; }
}
