namespace SparseSearch.Bench;

/// <summary>How long an index took to build and what it weighs; null rates when an earlier run's index was reused.</summary>
public sealed record IndexFigures(string Path, long Documents, double? Seconds, double? DocsPerSecond, long Bytes)
{
    /// <summary>Of <see cref="Seconds"/>, the time spent building approximate structures (null when reused or none).</summary>
    public double? ApproximateSeconds { get; init; }

    /// <summary>Bytes on disk of the approximate-structure files (part of <see cref="Bytes"/>).</summary>
    public long ApproximateFileBytes { get; init; }

    public double BytesPerDocument => Documents > 0 ? (double)Bytes / Documents : 0;
}

/// <summary>One query set: latency by algorithm, and how many pruned top-k lists equal the exhaustive ones exactly.</summary>
public sealed record QuerySetFigures(int Queries, double MeanTerms, IReadOnlyDictionary<string, LatencyStats> Algorithms, int IdenticalToExhaustive);

/// <summary>Everything one <c>sparse bench</c> run measured, with the ratios the goals are stated in.</summary>
public sealed record BenchReport(
    long Documents,
    int Seed,
    int K,
    IndexFigures ImpactIndex,
    IndexFigures? LuceneBm25Index,
    QuerySetFigures? InferenceFree,
    QuerySetFigures? Expanded,
    IReadOnlyDictionary<string, double> Ratios,
    long PeakWorkingSetBytes)
{
    /// <summary>
    /// Per query set, pruned and exhaustive under a metadata filter accepting <see cref="FilterSelectivity"/> of the
    /// documents, and the unfiltered pruned query timed alongside (identical_to_exhaustive counts the filtered results).
    /// </summary>
    public IReadOnlyDictionary<string, QuerySetFigures>? Filtered { get; init; }

    public double FilterSelectivity { get; init; }

    /// <summary>The approximate structures and their recall/latency curves (<see cref="ApproximateBench"/>).</summary>
    public ApproximateFigures? Approximate { get; init; }

    /// <summary>The synthetic vectors' shape, to compare with what is published for real learned sparse vectors.</summary>
    public Synthetic.CorpusShape? Shape { get; init; }
}
