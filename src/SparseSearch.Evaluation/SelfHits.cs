using SparseSearch.Core;
using SparseSearch.Evaluation.Beir;

namespace SparseSearch.Evaluation;

/// <summary>
/// Decides whether a collection's queries are its own documents (ArguAna, Quora: a query is the text of the document
/// with the same id), where BEIR's rule of dropping self-hits applies. Equal ids alone are not enough: CACM, CISI and
/// SciFact number queries and documents independently, and there a document with the query's id can be relevant.
/// </summary>
public static class SelfHits
{
    /// <summary>True when at least half of the queries have a document with the same id and the same text.</summary>
    public static bool QueriesAreDocuments(IReadOnlyList<QueryText> queries, string corpusPath, CancellationToken cancellation = default)
    {
        if (queries.Count == 0)
        {
            return false;
        }

        var byId = queries.ToDictionary(q => q.Id, q => Normalize(q.Text), StringComparer.Ordinal);
        var same = 0;
        foreach (var document in new BeirCorpus(corpusPath).Read(cancellation))
        {
            if (byId.TryGetValue(document.Id, out var text) && (Normalize(document.Text) == text || Normalize(document.FlatText) == text))
            {
                same++;
            }
        }

        return 2 * same >= queries.Count;
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
