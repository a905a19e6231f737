using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using SparseSearch.Core;
using SparseSearch.Encoding.Analysis;
using SparseSearch.Encoding.Bm25;

namespace SparseSearch.Encoding.Models;

/// <summary>
/// A learned sparse model exported to ONNX (<see cref="SparseModelManifest"/>): documents through the model; queries
/// inference-free (binary presence × idf from idf.json, else from the index) or through the model (siamese).
/// </summary>
public sealed class ModelEncoderDefinition : EncoderDefinition
{
    public const string EncoderName = "model";

    private readonly Lazy<OnnxSparseEncoder> _encoder;
    private readonly Lazy<string> _modelSha256;
    private readonly Lazy<IReadOnlyDictionary<string, float>>? _idf;

    public ModelEncoderDefinition(SparseModelManifest manifest, string device = "cpu", int batchSize = OnnxSparseEncoder.DefaultBatchSize, bool tf32 = true)
    {
        Manifest = manifest;
        Tokenizer = new ModelTokenizer(manifest.VocabPath, manifest.MaxLength);
        _encoder = new Lazy<OnnxSparseEncoder>(() => new OnnxSparseEncoder(manifest, device, batchSize, Tokenizer, tf32));
        // Searchers ask for a query encoder per request: the table is read once.
        _idf = manifest.IdfPath is { } idf ? new Lazy<IReadOnlyDictionary<string, float>>(() => LoadIdf(idf)) : null;
        _modelSha256 = new Lazy<string>(() =>
        {
            using var stream = File.OpenRead(manifest.OnnxPath);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        });
    }

    public SparseModelManifest Manifest { get; }

    /// <inheritdoc cref="OnnxSparseEncoder.ConcurrentChunks"/>
    public override int ConcurrentEncodeChunks => _encoder.Value.ConcurrentChunks;

    public ModelTokenizer Tokenizer { get; }

    public override string Name => EncoderName;

    public override IndexKind Kind => IndexKind.Impact;

    public override ITermAnalyzer Analyzer => Tokenizer.Analyzer;

    public override float DefaultQuantizationScale => Manifest.QuantizationScale;

    public override IReadOnlyDictionary<string, string> Settings => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["model"] = Manifest.Name,
        ["family"] = Manifest.Family.ToString().ToLowerInvariant(),
        ["model_sha256"] = _modelSha256.Value,
        ["vocabulary_sha256"] = Tokenizer.Analyzer.VocabularySha256 ?? "",
        ["max_length"] = Manifest.MaxLength.ToString(CultureInfo.InvariantCulture),
        ["query"] = Manifest.QueryMode == QueryMode.Siamese ? "siamese" : Manifest.IdfPath is null ? "inference-free:index-idf" : "inference-free:idf.json",
    };

    public OnnxSparseEncoder Encoder => _encoder.Value;

    public override IDocumentEncoder CreateDocumentEncoder(CorpusLengthStatistics? statistics) => new ModelDocumentEncoder(_encoder.Value);

    public override IQueryEncoder CreateQueryEncoder(ITermStatistics statistics) => Manifest.QueryMode switch
    {
        QueryMode.Siamese => new ModelQueryEncoder(_encoder.Value),
        _ when _idf is not null => new IdfTableQueryEncoder(Tokenizer.Analyzer, _idf.Value, Manifest.DropTokens),
        _ => new IndexIdfQueryEncoder(Tokenizer.Analyzer, statistics),
    };

    public static IReadOnlyDictionary<string, float> LoadIdf(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Number
                ? p.Value.GetSingle()
                : throw new InvalidSettingException($"{path}: the idf of '{p.Name}' is not a number"), StringComparer.Ordinal);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new InvalidSettingException($"{path} is not an idf table (a JSON object of token: idf): {e.Message}");
        }
    }

    public override void Dispose()
    {
        if (_encoder.IsValueCreated)
        {
            _encoder.Value.Dispose();
        }

        base.Dispose();
    }

    private sealed class ModelDocumentEncoder(OnnxSparseEncoder encoder) : IBatchDocumentEncoder
    {
        public SparseVector Encode(CorpusDocument document) => encoder.Encode(document.FlatText);

        public IReadOnlyList<SparseVector> Encode(IReadOnlyList<CorpusDocument> documents) => encoder.Encode(documents.Select(d => d.FlatText).ToArray());

        public object? Prepare(IReadOnlyList<CorpusDocument> documents) => encoder.Tokenize(documents.Select(d => d.FlatText).ToArray());

        public IReadOnlyList<SparseVector> Encode(IReadOnlyList<CorpusDocument> documents, object? prepared) =>
            prepared is TokenizedTexts tokenized ? encoder.Encode(tokenized) : Encode(documents);
    }

    private sealed class ModelQueryEncoder(OnnxSparseEncoder encoder) : IQueryEncoder
    {
        public SparseVector Encode(string query) => encoder.Encode(query);
    }
}
