using SparseSearch.Core;
using SparseSearch.Encoding.Analysis;

namespace SparseSearch.Encoding.Models;

/// <summary>
/// The inference-free query of OpenSearch's doc-only models: each distinct token of the query weighs its idf from the
/// model's idf.json (presence × idf: a repeated token counts once); special tokens and tokens absent from the table
/// weigh 0. No model runs.
/// </summary>
public sealed class IdfTableQueryEncoder(ITermAnalyzer analyzer, IReadOnlyDictionary<string, float> idf, IReadOnlySet<string> specialTokens) : IQueryEncoder
{
    public SparseVector Encode(string query)
    {
        var weights = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var token in analyzer.Terms(query))
        {
            if (!specialTokens.Contains(token) && idf.TryGetValue(token, out var weight) && weight > 0)
            {
                weights[token] = weight;
            }
        }

        return new SparseVector(weights);
    }
}
