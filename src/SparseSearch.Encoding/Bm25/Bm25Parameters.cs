using Lucene.Net.Util;

namespace SparseSearch.Encoding.Bm25;

/// <summary>How BM25 measures a document's length for its length normalisation.</summary>
public enum LengthNorm
{
    /// <summary>The exact number of terms (Anserini's Lucene 9 is exact for short documents and close for long ones).</summary>
    Exact,

    /// <summary>
    /// Lucene 4.8's one-byte norm: 1/sqrt(length) rounded to a 3-bit-mantissa float and decoded again. Coarse (lengths
    /// 60 and 64 encode alike), but it is exactly what Lucene.Net's BM25Similarity scores with, so impacts built this way
    /// reproduce Lucene.Net's own BM25 ranking.
    /// </summary>
    Lucene48,
}

/// <summary>BM25's free parameters; the defaults are Anserini's BEIR and CACM regressions' k1=0.9, b=0.4.</summary>
public sealed record Bm25Parameters(float K1 = 0.9f, float B = 0.4f, LengthNorm LengthNorm = LengthNorm.Exact)
{
    public static Bm25Parameters Anserini { get; } = new();

    /// <summary>Lucene's BM25 idf: ln(1 + (N - df + 0.5) / (df + 0.5)), always positive.</summary>
    public static float Idf(long docFreq, long documentCount) =>
        (float)Math.Log(1 + (documentCount - docFreq + 0.5d) / (docFreq + 0.5d));

    /// <summary>
    /// The document side of Lucene's BM25: (k1 + 1) · tf / (tf + k1 · (1 − b + b · dl / avgdl)), dl as
    /// <see cref="LengthNorm"/> says (exact by default, rather than Lucene's one-byte norm).
    /// </summary>
    public float TermFrequencyWeight(int termFrequency, int documentLength, double averageDocumentLength) =>
        (float)((K1 + 1d) * termFrequency / (termFrequency + K1 * (1d - B + B * EffectiveLength(documentLength) / averageDocumentLength)));

    /// <summary>The length BM25 normalises by under <see cref="LengthNorm"/>.</summary>
    public double EffectiveLength(int documentLength)
    {
        if (LengthNorm == LengthNorm.Exact || documentLength == 0)
        {
            return documentLength;
        }

        // BM25Similarity.EncodeNormValue / DecodeNormValue of Lucene 4.8, with a field boost of 1.
        var decoded = SmallSingle.Byte315ToSingle(SmallSingle.SingleToByte315(1f / MathF.Sqrt(documentLength)));
        return 1f / (decoded * decoded);
    }
}
