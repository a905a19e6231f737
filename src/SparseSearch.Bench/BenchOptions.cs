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
}
