namespace SparseSearch.Encoding.Bm25;

/// <summary>BM25's free parameters; the defaults are Anserini's BEIR and CACM regressions' k1=0.9, b=0.4.</summary>
public sealed record Bm25Parameters(float K1 = 0.9f, float B = 0.4f)
{
    public static Bm25Parameters Anserini { get; } = new();

    /// <summary>Lucene's BM25 idf: ln(1 + (N - df + 0.5) / (df + 0.5)), always positive.</summary>
    public static float Idf(long docFreq, long documentCount) =>
        (float)Math.Log(1 + (documentCount - docFreq + 0.5d) / (docFreq + 0.5d));

    /// <summary>
    /// The document side of Lucene's BM25: (k1 + 1) · tf / (tf + k1 · (1 − b + b · dl / avgdl)), with the exact
    /// document length rather than Lucene's one-byte norm.
    /// </summary>
    public float TermFrequencyWeight(int termFrequency, int documentLength, double averageDocumentLength) =>
        (float)((K1 + 1d) * termFrequency / (termFrequency + K1 * (1d - B + B * documentLength / averageDocumentLength)));
}
