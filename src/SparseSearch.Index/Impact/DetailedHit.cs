namespace SparseSearch.Index.Impact;

/// <summary>A hit as a reader sees it: stored title, a snippet around the matched words and, on request, the terms that made its score.</summary>
public sealed record DetailedHit(string Id, float Score, string Title, Snippets.Snippet Snippet, IReadOnlyList<TermContribution>? Matches)
{
    /// <summary>The document's metadata object as compact JSON, or null.</summary>
    public string? Metadata { get; init; }

    /// <summary>A multi-field search with explain: each field's rank, score, normalized score and contribution.</summary>
    public IReadOnlyList<MultiField.FieldContribution>? FieldContributions { get; init; }

    /// <summary>In a chunked index, the best chunk's id (<c>docid#n</c>), which gave the score, snippet and explain.</summary>
    public string? Passage { get; init; }

    /// <summary>In a shard of a cluster, the document's position in the corpus: the cluster's tie-break between shards.</summary>
    public long? Sequence { get; init; }

    /// <summary>The exact fixed-point sum behind <see cref="Score"/> (<see cref="ExactScoreDoc"/>): a cluster orders hits of equal float score by it.</summary>
    public long? ExactSum { get; init; }
}
