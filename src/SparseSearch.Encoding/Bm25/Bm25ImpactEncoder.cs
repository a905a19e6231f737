using SparseSearch.Core;
using SparseSearch.Encoding.Analysis;

namespace SparseSearch.Encoding.Bm25;

/// <summary>
/// The model-free document encoder: each term's weight is BM25's document-side factor, so that an inference-free
/// query weighting the same term by its idf scores exactly BM25 as a dot product.
/// </summary>
public sealed class Bm25ImpactEncoder(ITermAnalyzer analyzer, Bm25Parameters parameters, CorpusLengthStatistics statistics) : IDocumentEncoder
{
    public SparseVector Encode(CorpusDocument document)
    {
        var terms = analyzer.Terms(document.FlatText);
        var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            frequencies[term] = frequencies.GetValueOrDefault(term) + 1;
        }

        var weights = new Dictionary<string, float>(frequencies.Count, StringComparer.Ordinal);
        foreach (var (term, tf) in frequencies)
        {
            weights[term] = parameters.TermFrequencyWeight(tf, terms.Count, statistics.AverageDocumentLength);
        }

        return new SparseVector(weights);
    }
}
