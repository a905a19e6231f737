using SparseSearch.Core;

namespace SparseSearch.Bench.Synthetic;

/// <summary>
/// The shape of the synthetic vectors, the figures papers on learned sparse retrieval report for real ones (Seismic's
/// "concentration of importance" among them): non-zeros per document and per expanded query, and the share of a
/// vector's L1 mass held by its largest 10% of entries and by its largest 20 entries (means over vectors).
/// </summary>
public sealed record CorpusShape(double DocumentNonZeros, double QueryNonZeros, double DocumentTopTenPercentMass, double QueryTopTenPercentMass,
    double DocumentTop20Mass, double QueryTop20Mass, int SampledDocuments)
{
    public static CorpusShape Measure(SyntheticCorpus corpus, int sample = 10_000)
    {
        var documents = Enumerable.Range(0, (int)Math.Min(sample, corpus.Spec.Documents)).Select(n => corpus.Document(n).Weights).ToArray();
        var queries = corpus.ExpandedQueries.Select(q => q.Weights.Values.ToArray()).ToArray();
        return new CorpusShape(documents.Average(d => d.Length), queries.Average(q => q.Length),
            documents.Average(d => TopShare(d, Math.Max(1, d.Length / 10))), queries.Average(q => TopShare(q, Math.Max(1, q.Length / 10))),
            documents.Average(d => TopShare(d, 20)), queries.Average(q => TopShare(q, 20)), documents.Length);
    }

    private static double TopShare(float[] weights, int top)
    {
        var sorted = weights.Select(Math.Abs).OrderDescending().ToArray();
        var total = sorted.Sum();
        return total > 0 ? sorted.Take(top).Sum() / total : 0;
    }
}
