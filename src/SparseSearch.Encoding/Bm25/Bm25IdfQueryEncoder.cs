using SparseSearch.Core;
using SparseSearch.Encoding.Analysis;

namespace SparseSearch.Encoding.Bm25;

/// <summary>
/// Inference-free BM25 query: each analysed term weighs its BM25 idf from the index's own statistics, times the
/// number of times it occurs in the query (as Anserini's bag-of-words query boosts a repeated term).
/// Terms the index has never seen weigh nothing and are left out.
/// </summary>
public sealed class Bm25IdfQueryEncoder(ITermAnalyzer analyzer, ITermStatistics statistics) : IQueryEncoder
{
    public SparseVector Encode(string query)
    {
        var weights = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var term in analyzer.Terms(query))
        {
            var df = statistics.DocFreq(term);
            if (df > 0)
            {
                weights[term] = weights.GetValueOrDefault(term) + Bm25Parameters.Idf(df, statistics.DocumentCount);
            }
        }

        return new SparseVector(weights);
    }
}
