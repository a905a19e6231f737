using SparseSearch.Core;
using SparseSearch.Encoding.Analysis;
using SparseSearch.Encoding.Bm25;

namespace SparseSearch.Encoding;

/// <summary>
/// Inference-free query for learned sparse indexes without an <c>idf.json</c>: each distinct token weighs the index's
/// own BM25-style idf (binary presence × idf: a repeated token counts once, as the inference-free models' convention);
/// tokens absent from the index weigh nothing.
/// </summary>
public sealed class IndexIdfQueryEncoder(ITermAnalyzer analyzer, ITermStatistics statistics) : IQueryEncoder
{
    public SparseVector Encode(string query)
    {
        var weights = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var term in analyzer.Terms(query))
        {
            if (!weights.ContainsKey(term) && statistics.DocFreq(term) is var df and > 0)
            {
                weights[term] = Bm25Parameters.Idf(df, statistics.DocumentCount);
            }
        }

        return new SparseVector(weights);
    }
}
