using SparseSearch.Core;
using SparseSearch.Encoding.Analysis;
using SparseSearch.Encoding.Bm25;

namespace SparseSearch.Encoding;

/// <summary>Options an encoder may need from the command line.</summary>
public sealed record EncoderOptions(string? VocabPath = null, float K1 = 0.9f, float B = 0.4f, LengthNorm LengthNorm = LengthNorm.Exact)
{
    /// <summary>The exported model directory (models/&lt;name&gt;) for the "model" encoder.</summary>
    public string? ModelPath { get; init; }

    /// <summary>Where the model runs: cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>On CUDA, let float32 graphs use TF32 tensor cores (ONNX Runtime's default: faster, ~1e-3 relative error).</summary>
    public bool Tf32 { get; init; } = true;

    /// <summary>Texts per model run.</summary>
    public int ModelBatchSize { get; init; } = Models.OnnxSparseEncoder.DefaultBatchSize;
}

/// <summary>Resolves encoder names to definitions; the one place that knows which encoders exist.</summary>
public static class EncoderCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["bm25", "bm25-wp", "lucene-bm25", PrecomputedEncoderDefinition.EncoderName, Models.ModelEncoderDefinition.EncoderName];

    public static EncoderDefinition Resolve(string name, EncoderOptions options)
    {
        var parameters = new Bm25Parameters(options.K1, options.B, options.LengthNorm);
        return name switch
        {
            "bm25" => new Bm25EncoderDefinition(name, IndexKind.Impact, new EnglishTermAnalyzer(), parameters),
            "lucene-bm25" => new Bm25EncoderDefinition(name, IndexKind.LuceneText, new EnglishTermAnalyzer(), parameters),
            "bm25-wp" => new Bm25EncoderDefinition(name, IndexKind.Impact, WordPieceTermAnalyzer.FromVocabulary(
                options.VocabPath ?? throw new InvalidSettingException("encoder 'bm25-wp' needs --vocab FILE (a BERT vocab.txt, e.g. ../shared/models/bert-base-uncased/vocab.txt)")), parameters),
            PrecomputedEncoderDefinition.EncoderName => new PrecomputedEncoderDefinition(
                options.VocabPath is null ? new WhitespaceTermAnalyzer() : WordPieceTermAnalyzer.FromVocabulary(options.VocabPath)),
            Models.ModelEncoderDefinition.EncoderName => new Models.ModelEncoderDefinition(Models.SparseModelManifest.Load(
                options.ModelPath ?? throw new InvalidSettingException("encoder 'model' needs --model DIR (a directory with sparse-model.json, from models/export_sparse_onnx.py)")),
                options.Device, options.ModelBatchSize, options.Tf32),
            _ => throw new InvalidSettingException($"unknown encoder '{name}'; known encoders: {string.Join(", ", Names)}"),
        };
    }
}
