namespace SparseSearch.Evaluation;

/// <summary>How a run is produced and judged; each value has a CLI flag with this default.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Hits retrieved per query (Anserini's regressions use 1000).</summary>
    public int Hits { get; init; } = 1000;

    /// <summary>BEIR's rule: drop a hit whose doc id equals the query id (Anserini's -removeQuery).</summary>
    public bool RemoveSelfHits { get; init; } = true;

    /// <summary>Queries searched at once.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;
}
