using Lucene.Net.Search;
using SparseSearch.Core;
using SparseSearch.Encoding.Analysis;

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
}

/// <summary>Turns an impact index's top documents into <see cref="DetailedHit"/>s: one explain pass serves every hit.</summary>
public static class HitDetails
{
    public static IReadOnlyList<DetailedHit> Describe(ImpactIndexSearcher searcher, ITermAnalyzer analyzer, SparseVector query, TopDocs top, bool explain)
    {
        var explained = searcher.Explain(query, top.ScoreDocs.Select(d => d.Doc).ToArray());
        var hits = new DetailedHit[top.ScoreDocs.Length];
        for (var rank = 0; rank < hits.Length; rank++)
        {
            var stored = searcher.Document(top.ScoreDocs[rank].Doc);
            var contributions = explained[rank];
            var matched = contributions.Select(c => c.Term).ToHashSet(StringComparer.Ordinal);
            var snippet = Snippets.Build(stored.Text.Length > 0 ? stored.Text : stored.Title, matched, analyzer);
            hits[rank] = new DetailedHit(stored.Id, top.ScoreDocs[rank].Score, stored.Title, snippet, explain ? contributions : null) { Metadata = stored.Metadata };
        }

        return hits;
    }
}
