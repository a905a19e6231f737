using SparseSearch.Core;
using SparseSearch.Encoding.Analysis;
using SparseSearch.Encoding.Bm25;

namespace SparseSearch.Encoding;

/// <summary>How an encoder's documents are stored: as quantized impacts, or as plain text for Lucene's own scoring.</summary>
public enum IndexKind
{
    Impact,
    LuceneText,
}

/// <summary>
/// Everything the indexer and searcher need to know about one encoder: how it analyses text, how it weights documents
/// and queries, and the settings that must match between an index and the encoder that opens it. Disposable because a
/// model encoder holds ONNX Runtime sessions (native memory); the model-free encoders hold nothing.
/// </summary>
public abstract class EncoderDefinition : IDisposable
{
    /// <summary>Releases what the encoder holds (a model's sessions); nothing for the model-free encoders.</summary>
    public virtual void Dispose() => GC.SuppressFinalize(this);

    public abstract string Name { get; }

    public abstract IndexKind Kind { get; }

    public abstract ITermAnalyzer Analyzer { get; }

    /// <summary>Settings recorded in the index manifest; an index opened with different ones is refused.</summary>
    public abstract IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>
    /// Quantization scale used when the user gives none. Learned models keep Anserini's 100; BM25's document weights
    /// span only (0, k1 + 1), where 100 levels changed the top-10 of 18% of queries against Lucene's own BM25 and 1000
    /// changed under 3% (measured on CACM and SciFact).
    /// </summary>
    public virtual float DefaultQuantizationScale => ImpactQuantizer.DefaultScale;

    /// <summary>Whether document encoding needs corpus-wide length statistics first (a second pass over the corpus).</summary>
    public virtual bool NeedsCorpusStatistics => false;

    /// <summary>Corpus chunks an indexing job encodes at once (more than one only for a model on a GPU).</summary>
    public virtual int ConcurrentEncodeChunks => 1;

    /// <summary>False for encoders whose documents arrive encoded (pre-encoded vectors): they cannot encode text.</summary>
    public virtual bool EncodesDocuments => true;

    public abstract IDocumentEncoder CreateDocumentEncoder(CorpusLengthStatistics? statistics);

    public abstract IQueryEncoder CreateQueryEncoder(ITermStatistics statistics);
}

/// <summary>
/// The model-free BM25 encoders: <c>bm25</c> over Lucene's English analysis, <c>bm25-wp</c> over WordPiece tokens,
/// and <c>lucene-bm25</c>, Lucene's own BM25 over the English analysis, the reference the impact path is checked against.
/// </summary>
public sealed class Bm25EncoderDefinition(string name, IndexKind kind, ITermAnalyzer analyzer, Bm25Parameters parameters) : EncoderDefinition
{
    public override string Name => name;

    public override IndexKind Kind => kind;

    public override ITermAnalyzer Analyzer => analyzer;

    public Bm25Parameters Parameters => parameters;

    public override IReadOnlyDictionary<string, string> Settings => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["analyzer"] = analyzer.Description,
        ["vocabulary_sha256"] = analyzer.VocabularySha256 ?? "",
        ["k1"] = parameters.K1.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        ["b"] = parameters.B.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        ["length_norm"] = kind == IndexKind.Impact ? parameters.LengthNorm.ToString().ToLowerInvariant() : "lucene48",
    };

    public override bool NeedsCorpusStatistics => kind == IndexKind.Impact;

    public override float DefaultQuantizationScale => 1000f;

    public override IDocumentEncoder CreateDocumentEncoder(CorpusLengthStatistics? statistics) =>
        kind == IndexKind.Impact
            ? new Bm25ImpactEncoder(analyzer, parameters, statistics ?? throw new ArgumentNullException(nameof(statistics)))
            : throw new InvalidOperationException($"encoder '{name}' stores text; Lucene scores it");

    public override IQueryEncoder CreateQueryEncoder(ITermStatistics statistics) => new Bm25IdfQueryEncoder(analyzer, statistics);
}
