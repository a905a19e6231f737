using Lucene.Net.Search;
using SparseSearch.Core;
using SparseSearch.Encoding.Analysis;
using SparseSearch.Index.Filters;
using SparseSearch.Index.Impact;
using SparseSearch.Index.Impact.TopK;

namespace SparseSearch.Index.Chunking;

/// <summary>A document of the top k and the Lucene document that scored it (itself, or its best chunk).</summary>
public sealed record DocumentHit(string Id, float Score, int Doc)
{
    /// <summary>The exact fixed-point score sum behind <see cref="Score"/> (<see cref="ExactScoreDoc"/>), when the search kept it.</summary>
    public long? ExactSum { get; init; }

    public static DocumentHit Of(string id, ScoreDoc hit) => new(id, hit.Score, hit.Doc) { ExactSum = (hit as ExactScoreDoc)?.Sum };
}

/// <summary>
/// The top k documents of an impact index, whole or chunked, the way every searcher (CLI, eval, service) sees them.
/// A chunked index is searched by its best chunk (MaxP, as Anserini's <c>-selectMaxPassage</c> and OpenSearch's nested
/// <c>score_mode: max</c>): the top chunks are fetched deeper and deeper until they hold k distinct documents or run
/// out. Exact: the first k distinct documents among the exact top chunks are the k documents with the best chunks, ties
/// to the lower chunk doc number, so pruned and exhaustive chunk searches give the same documents.
/// </summary>
public static class DocumentSearch
{
    /// <param name="firstPassages">Only each document's first P chunks compete (null: all).</param>
    public static IReadOnlyList<DocumentHit> Top(ImpactIndexSearcher searcher, SparseVector query, int k, TopKAlgorithm algorithm, SearchFilter? filter,
        int? firstPassages = null, CancellationToken cancellation = default, Approximate.ApproximateSearchSettings? approximate = null,
        IReadOnlyDictionary<string, int>? maxImpacts = null)
    {
        if (searcher.Manifest.Chunking is null)
        {
            var top = searcher.SearchTopDocs(query, k, algorithm, cancellation, filter, approximate, maxImpacts);
            return top.ScoreDocs.Select(d => DocumentHit.Of(searcher.IdOf(d.Doc), d)).ToArray();
        }

        if (firstPassages is { } p)
        {
            filter = filter is null ? new ChunkOrdinalBelowFilter(p) : new AndFilter([filter, new ChunkOrdinalBelowFilter(p)]);
        }

        // Most documents have a few chunks: four per wanted document usually suffice at the first try.
        var depth = Math.Max(64, k * 4L);
        while (true)
        {
            var chunks = searcher.SearchTopDocs(query, (int)Math.Min(depth, int.MaxValue - 1), algorithm, cancellation, filter, approximate, maxImpacts);
            var documents = new List<DocumentHit>(k);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var chunk in chunks.ScoreDocs)
            {
                var parent = ChunkIds.Parent(searcher.IdOf(chunk.Doc));
                if (seen.Add(parent))
                {
                    documents.Add(DocumentHit.Of(parent, chunk));
                    if (documents.Count == k)
                    {
                        return documents;
                    }
                }
            }

            if (chunks.ScoreDocs.Length < depth)
            {
                return documents;
            }

            depth *= 4;
        }
    }

    /// <summary>
    /// Hits with their document's title, metadata and a snippet; in a chunked index the snippet and explain come from
    /// the best chunk, the title and text from the document (stored once, with its first chunk).
    /// </summary>
    public static IReadOnlyList<DetailedHit> Describe(ImpactIndexSearcher searcher, ITermAnalyzer analyzer, SparseVector query, IReadOnlyList<DocumentHit> hits,
        bool explain)
    {
        var explained = searcher.Explain(query, hits.Select(h => h.Doc).ToArray());
        var chunked = searcher.Manifest.Chunking is not null;
        var described = new DetailedHit[hits.Count];
        for (var rank = 0; rank < hits.Count; rank++)
        {
            var hit = hits[rank];
            var stored = searcher.Document(chunked ? searcher.Find(ChunkIds.Of(hit.Id, 0)) is var first and >= 0 ? first : hit.Doc : hit.Doc);
            var text = stored.Text;
            if (chunked && searcher.SpanOf(hit.Doc) is var (start, end) && end <= text.Length && start <= end)
            {
                text = text[start..end];
            }

            var contributions = explained[rank];
            var matched = contributions.Select(c => c.Term).ToHashSet(StringComparer.Ordinal);
            var snippet = Snippets.Build(text.Length > 0 ? text : stored.Title, matched, analyzer);
            described[rank] = new DetailedHit(hit.Id, hit.Score, stored.Title, snippet, explain ? contributions : null)
            {
                Metadata = stored.Metadata,
                Passage = chunked ? searcher.IdOf(hit.Doc) : null,
                Sequence = stored.Sequence,
                ExactSum = hit.ExactSum,
            };
        }

        return described;
    }
}
