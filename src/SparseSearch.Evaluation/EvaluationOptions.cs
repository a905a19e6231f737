namespace SparseSearch.Evaluation;

/// <summary>How a run is produced and judged; each value has a CLI flag with this default.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Hits retrieved per query (Anserini's regressions use 1000).</summary>
    public int Hits { get; init; } = 1000;

    /// <summary>
    /// When to drop a hit whose doc id equals the query id (BEIR's rule, Anserini's -removeQuery): only where the
    /// collection's queries are its documents (auto), always, or never. Elsewhere equal ids are a coincidence of
    /// numbering (CISI's query 34 judges document 34 relevant) and removing them would drop relevant hits.
    /// </summary>
    public SelfHitPolicy SelfHits { get; init; } = SelfHitPolicy.Auto;

    /// <summary>
    /// trec_eval -c: every judged query counts, zero when the run has nothing for it (Anserini's BEIR regressions).
    /// Off: average only over queries with hits (trec_eval without -c), which flatters a system that answers nothing.
    /// </summary>
    public bool CompleteQueries { get; init; } = true;

    /// <summary>Queries searched at once.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;
}

public enum SelfHitPolicy
{
    Auto,
    Remove,
    Keep,
}
