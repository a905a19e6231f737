using System.Text.Json;
using SparseSearch.Core;

namespace SparseSearch.Encoding.Models;

/// <summary>The model families SparseSearch runs.</summary>
public enum ModelFamily
{
    Splade,
    Unicoil,
    Csr,
}

/// <summary>What the ONNX graph's output holds.</summary>
public enum ModelOutputKind
{
    /// <summary>SPLADE, pooling fused in the graph: [batch, vocab] term weights.</summary>
    Pooled,

    /// <summary>
    /// SPLADE, pooled and sparsified in the graph: the non-zeros' flat positions (row × vocab + term, int64) and their
    /// weights, so only a few hundred values per text leave a GPU.
    /// </summary>
    PooledSparse,

    /// <summary>SPLADE, raw MLM logits [batch, seq, vocab]: activation and max pooling on the host.</summary>
    MlmLogits,

    /// <summary>uniCOIL: [batch, seq, 1] per-token impacts.</summary>
    TokenImpacts,

    /// <summary>CSR: [batch, latent] sparse-autoencoder activations; the host keeps the top k.</summary>
    Latent,
}

/// <summary>How queries are encoded.</summary>
public enum QueryMode
{
    /// <summary>No model at query time: each distinct token weighs its idf (idf.json, else the index's).</summary>
    InferenceFree,

    /// <summary>Queries go through the same model as documents.</summary>
    Siamese,
}

/// <summary>
/// <c>models/&lt;name&gt;/sparse-model.json</c>: everything needed to run an exported model exactly as it was trained to
/// be run. Written by <c>models/export_sparse_onnx.py</c>; read strictly — an unknown field or a value that does not fit
/// the family is an error naming the field.
/// </summary>
public sealed record SparseModelManifest
{
    public const string FileName = "sparse-model.json";

    private static readonly string[] Fields =
    [
        "format_version", "name", "family", "source", "onnx", "precision", "tokenizer", "inputs", "output", "activation",
        "drop_tokens", "prune_ratio", "top_k", "query", "quantization",
    ];

    public required string Directory { get; init; }

    public required string Name { get; init; }

    public required ModelFamily Family { get; init; }

    public required string OnnxPath { get; init; }

    public required string VocabPath { get; init; }

    public bool Lowercase { get; init; } = true;

    /// <summary>Tokens per text at inference, [CLS] and [SEP] included (SPLADE: 512; it changes scores).</summary>
    public int MaxLength { get; init; } = 512;

    public string InputIdsName { get; init; } = "input_ids";

    public string AttentionMaskName { get; init; } = "attention_mask";

    /// <summary>Null when the graph takes no token type ids.</summary>
    public string? TokenTypeIdsName { get; init; } = "token_type_ids";

    public required string OutputName { get; init; }

    public required ModelOutputKind OutputKind { get; init; }

    /// <summary>A <see cref="ModelOutputKind.PooledSparse"/> graph's second output: the non-zeros' flat positions.</summary>
    public string? OutputPositionsName { get; init; }

    /// <summary>SPLADE activation: log1p(relu(x)), or log1p applied twice (OpenSearch doc-v3's "l0" models).</summary>
    public bool DoubleLog { get; init; }

    public IReadOnlySet<string> DropTokens { get; init; } = new HashSet<string>();

    /// <summary>Drop document weights below this fraction of the document's largest (0: keep all).</summary>
    public float PruneRatio { get; init; }

    public int TopK { get; init; }

    public QueryMode QueryMode { get; init; } = QueryMode.InferenceFree;

    /// <summary>idf.json for inference-free queries; null means the index's own idf.</summary>
    public string? IdfPath { get; init; }

    public float QuantizationScale { get; init; } = ImpactQuantizer.DefaultScale;

    public static SparseModelManifest Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            throw new MissingInputException(System.IO.Directory.Exists(directory)
                ? $"{directory} is not a model directory: {FileName} is missing (export one with models/export_sparse_onnx.py)"
                : $"model directory not found: {directory}");
        }

        JsonElement root;
        try
        {
            root = JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidSettingException($"{path} is not valid JSON: {e.Message}");
        }

        return Parse(root, directory, path);
    }

    private static SparseModelManifest Parse(JsonElement root, string directory, string path)
    {
        var reader = new ManifestReader(path);
        reader.Object(root, "");
        foreach (var property in root.EnumerateObject())
        {
            if (!Fields.Contains(property.Name))
            {
                throw reader.Error(property.Name, $"unknown field; expected one of {string.Join(", ", Fields)}");
            }
        }

        if (reader.Int(root, "format_version", 1) != 1)
        {
            throw reader.Error("format_version", "only format version 1 is understood");
        }

        var family = reader.Enum<ModelFamily>(root, "family");
        var tokenizer = reader.Section(root, "tokenizer");
        if (reader.String(tokenizer, "tokenizer.kind", "wordpiece") != "wordpiece")
        {
            throw reader.Error("tokenizer.kind", "only 'wordpiece' (a BERT vocab.txt) is supported");
        }

        var output = reader.Section(root, "output");
        var outputKind = reader.Required(output, "output.kind") switch
        {
            "pooled" => ModelOutputKind.Pooled,
            "pooled_sparse" => ModelOutputKind.PooledSparse,
            "mlm_logits" => ModelOutputKind.MlmLogits,
            "token_impacts" => ModelOutputKind.TokenImpacts,
            "latent" => ModelOutputKind.Latent,
            var other => throw reader.Error("output.kind", $"'{other}' is not one of pooled, pooled_sparse, mlm_logits, token_impacts, latent"),
        };
        var expected = family switch
        {
            ModelFamily.Splade => new[] { ModelOutputKind.Pooled, ModelOutputKind.PooledSparse, ModelOutputKind.MlmLogits },
            ModelFamily.Unicoil => [ModelOutputKind.TokenImpacts],
            _ => [ModelOutputKind.Latent],
        };
        if (!expected.Contains(outputKind))
        {
            throw reader.Error("output.kind", $"a {family.ToString().ToLowerInvariant()} model's output cannot be {outputKind}");
        }

        var activation = reader.String(root, "activation", family == ModelFamily.Splade ? "log1p_relu" : "none");
        if (family == ModelFamily.Splade ? activation is not ("log1p_relu" or "log1p_log1p_relu") : activation != "none")
        {
            throw reader.Error("activation", $"'{activation}' does not fit a {family.ToString().ToLowerInvariant()} model (splade: log1p_relu or log1p_log1p_relu; others: none)");
        }

        var topK = reader.Int(root, "top_k", 0);
        if (family == ModelFamily.Csr && topK < 1)
        {
            throw reader.Error("top_k", "a csr model needs top_k ≥ 1");
        }

        var query = reader.OptionalSection(root, "query");
        var idf = reader.String(query, "query.idf", null);
        var inputs = reader.OptionalSection(root, "inputs");
        var quantization = reader.OptionalSection(root, "quantization");
        if (reader.String(quantization, "quantization.rounding", "half-up") != "half-up")
        {
            throw reader.Error("quantization.rounding", "only 'half-up' (floor(w × scale + 0.5)) is implemented");
        }

        var manifest = new SparseModelManifest
        {
            Directory = directory,
            Name = reader.String(root, "name", Path.GetFileName(Path.GetFullPath(directory).TrimEnd('/')))!,
            Family = family,
            OnnxPath = reader.File(directory, reader.String(root, "onnx", "model.onnx")!, "onnx"),
            VocabPath = reader.File(directory, reader.String(tokenizer, "tokenizer.vocab", "vocab.txt")!, "tokenizer.vocab"),
            Lowercase = reader.Bool(tokenizer, "tokenizer.lowercase", true),
            MaxLength = reader.Int(tokenizer, "tokenizer.max_length", 512),
            InputIdsName = reader.String(inputs, "inputs.input_ids", "input_ids")!,
            AttentionMaskName = reader.String(inputs, "inputs.attention_mask", "attention_mask")!,
            TokenTypeIdsName = inputs.ValueKind == JsonValueKind.Object ? reader.String(inputs, "inputs.token_type_ids", null) : "token_type_ids",
            OutputName = reader.Required(output, "output.name"),
            OutputKind = outputKind,
            OutputPositionsName = outputKind == ModelOutputKind.PooledSparse ? reader.String(output, "output.positions", "positions") : null,
            DoubleLog = activation == "log1p_log1p_relu",
            DropTokens = reader.Strings(root, "drop_tokens", new HashSet<string> { "[PAD]", "[CLS]", "[SEP]" }),
            PruneRatio = (float)reader.Number(root, "prune_ratio", 0),
            TopK = topK,
            QueryMode = reader.String(query, "query.mode", "inference-free") switch
            {
                "inference-free" => QueryMode.InferenceFree,
                "siamese" => QueryMode.Siamese,
                var other => throw reader.Error("query.mode", $"'{other}' is not inference-free or siamese"),
            },
            IdfPath = idf is null ? null : reader.File(directory, idf, "query.idf"),
            QuantizationScale = (float)reader.Number(quantization, "quantization.scale", ImpactQuantizer.DefaultScale),
        };
        if (!manifest.Lowercase)
        {
            throw reader.Error("tokenizer.lowercase", "only uncased (lowercase) WordPiece models are supported");
        }

        if (manifest.MaxLength is < 3 or > 8192)
        {
            throw reader.Error("tokenizer.max_length", $"{manifest.MaxLength} is outside 3..8192");
        }

        if (manifest.PruneRatio is < 0 or >= 1 || manifest.QuantizationScale <= 0)
        {
            throw reader.Error(manifest.PruneRatio is < 0 or >= 1 ? "prune_ratio" : "quantization.scale", "out of range");
        }

        return manifest;
    }
}
