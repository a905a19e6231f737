using System.CommandLine;
using SparseSearch.Encoding;
using SparseSearch.Encoding.Bm25;
using SparseSearch.Evaluation.Beir;
using SparseSearch.Index;

namespace SparseSearch.Cli;

/// <summary>Options several commands share, with their documented defaults.</summary>
internal static class CliOptions
{
    public static Option<string> Dataset(bool required) => new("--dataset")
    {
        Description = "BEIR directory (corpus.jsonl[.gz], queries.jsonl, qrels/<split>.tsv), a BEIR dataset name to fetch into the cache (scifact, nfcorpus, …), or 'demo' for the embedded demo corpus",
        Required = required,
        DefaultValueFactory = _ => BeirDatasetLocator.DemoName,
    };

    public static Option<string> Encoder() => new("--encoder")
    {
        Description = $"encoder: {string.Join(", ", EncoderCatalog.Names)}",
        DefaultValueFactory = _ => "bm25",
    };

    public static Option<string?> IndexPath(string description) => new("--index") { Description = description };

    public static Option<string?> Vocab() => new("--vocab")
    {
        Description = "BERT WordPiece vocab.txt for WordPiece encoders (e.g. ../shared/models/bert-base-uncased/vocab.txt)",
    };

    public static Option<string?> Model() => new("--model")
    {
        Description = "exported model directory (sparse-model.json, model.onnx, vocab.txt) for --encoder model; searches default to the one the index was built with",
    };

    public static Option<string> Device() => new("--device")
    {
        Description = "where models run: cpu, cuda, cuda:N, several GPUs cuda:0,1 or cuda:all (cuda needs a build with -p:OnnxRuntimeGpu=true, CUDA 13 and cuDNN 9)",
        DefaultValueFactory = _ => "cpu",
    };

    public static Option<bool> Tf32() => new("--tf32")
    {
        Description = "on CUDA, let float32 graphs use TF32 tensor cores (faster, ~1e-3 relative error); --tf32 false matches the CPU to float32 rounding",
        DefaultValueFactory = _ => true,
    };

    public static Option<int> ModelBatchSize() => new("--model-batch-size")
    {
        Description = "texts per model run",
        DefaultValueFactory = _ => Encoding.Models.OnnxSparseEncoder.DefaultBatchSize,
    };

    /// <summary>The encoder options every indexing command takes, bound together.</summary>
    public sealed class EncoderFlags
    {
        public Option<string?> Vocab { get; } = CliOptions.Vocab();

        public Option<float> K1 { get; } = new("--k1") { Description = "BM25 k1", DefaultValueFactory = _ => 0.9f };

        public Option<float> B { get; } = new("--b") { Description = "BM25 b", DefaultValueFactory = _ => 0.4f };

        public Option<LengthNorm> LengthNorm { get; } = new("--length-norm")
        {
            Description = "BM25 impact encoders: document length as it is (exact) or as Lucene 4.8's one-byte norm stores it (lucene48)",
            DefaultValueFactory = _ => Encoding.Bm25.LengthNorm.Exact,
        };

        public Option<string?> Model { get; } = CliOptions.Model();

        public Option<string> Device { get; } = CliOptions.Device();

        public Option<bool> Tf32 { get; } = CliOptions.Tf32();

        public Option<int> ModelBatchSize { get; } = CliOptions.ModelBatchSize();

        public IEnumerable<Option> All => [Vocab, K1, B, LengthNorm, Model, Device, Tf32, ModelBatchSize];

        public EncoderOptions Read(ParseResult parse) =>
            new(parse.GetValue(Vocab), parse.GetValue(K1), parse.GetValue(B), parse.GetValue(LengthNorm))
            {
                ModelPath = parse.GetValue(Model),
                Device = parse.GetValue(Device)!,
                Tf32 = parse.GetValue(Tf32),
                ModelBatchSize = Math.Max(1, parse.GetValue(ModelBatchSize)),
            };
    }

    /// <summary>What a serving process (serve, silo) needs to open an index's encoder: the rest comes from the index's manifest.</summary>
    public sealed class ServingEncoderFlags
    {
        public Option<string?> Vocab { get; } = CliOptions.Vocab();

        public Option<string?> Model { get; } = CliOptions.Model();

        public Option<string> Device { get; } = CliOptions.Device();

        public Option<bool> Tf32 { get; } = CliOptions.Tf32();

        public IEnumerable<Option> All => [Vocab, Model, Device, Tf32];

        public EncoderOptions Read(ParseResult parse) =>
            new(parse.GetValue(Vocab)) { ModelPath = parse.GetValue(Model), Device = parse.GetValue(Device)!, Tf32 = parse.GetValue(Tf32) };
    }

    public static Option<float?> Scale() => new("--scale")
    {
        Description = "quantization scale: impact = round_half_up(weight × scale) (default: the encoder's; 1000 for BM25 encoders, 100 for learned models)",
    };

    /// <summary>The flags of a multi-field index: which fields, and how a query fuses them.</summary>
    public sealed class FusionFlags(bool building)
    {
        public Option<string?> Fields { get; } = new("--fields")
        {
            Description = building
                ? "build one field per encoder over the same documents, e.g. bm25,bm25-wp (a multi-field index; queries fuse the fields)"
                : "multi-field index: the fields to search and fuse, e.g. bm25,bm25-wp (default: all)",
        };

        public Option<Index.MultiField.FusionMethod> Fusion { get; } = new("--fusion")
        {
            Description = "multi-field index: rrf (Σ weight / (rank-constant + rank)) or linear (weighted mean of normalized scores)",
            DefaultValueFactory = _ => new Index.MultiField.FusionSettings().Method,
        };

        public Option<int> RankConstant { get; } = new("--rank-constant") { Description = "RRF's rank constant", DefaultValueFactory = _ => new Index.MultiField.FusionSettings().RankConstant };

        public Option<int> RankWindow { get; } = new("--rank-window")
        {
            Description = "hits each field retrieves before fusion (at least the hits asked for)",
            DefaultValueFactory = _ => new Index.MultiField.FusionSettings().RankWindow,
        };

        public Option<string> Normalization { get; } = new("--normalization")
        {
            Description = "linear fusion: min_max, l2 or z_score (OpenSearch's semantics)",
            DefaultValueFactory = _ => "min_max",
        };

        public Option<string?> Weights { get; } = new("--field-weights") { Description = "per-field weights, e.g. bm25=0.7,bm25-wp=0.3 (default 1 each)" };

        public IEnumerable<Option> All => building ? [Fields] : [Fields, Fusion, RankConstant, RankWindow, Normalization, Weights];

        public IReadOnlyList<string>? ReadFields(ParseResult parse) =>
            parse.GetValue(Fields)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        public Index.MultiField.FusionSettings Read(ParseResult parse) => new()
        {
            Fields = ReadFields(parse),
            Method = parse.GetValue(Fusion),
            RankConstant = parse.GetValue(RankConstant),
            RankWindow = parse.GetValue(RankWindow),
            Normalization = parse.GetValue(Normalization) switch
            {
                "min_max" => Index.MultiField.ScoreNormalization.MinMax,
                "l2" => Index.MultiField.ScoreNormalization.L2,
                "z_score" => Index.MultiField.ScoreNormalization.ZScore,
                var other => throw new Core.InvalidSettingException($"--normalization must be min_max, l2 or z_score, found '{other}'"),
            },
            Weights = Index.MultiField.FusionSettings.ParseWeights(parse.GetValue(Weights)),
        };
    }

    public static Option<string?> ChunkTokens() => new("--chunk-tokens")
    {
        Description = "split documents into chunks of this many encoder tokens (ids docid#n, searched by their best chunk); 'auto' fills a model's max_length (default: off, whole documents)",
    };

    public static Option<int> ChunkOverlap() => new("--chunk-overlap")
    {
        Description = "tokens consecutive chunks share (whole words)",
        DefaultValueFactory = _ => 0,
    };

    public static Option<int?> FirstPassages() => new("--first-passages")
    {
        Description = "chunked index: only each document's first P chunks compete (default: all)",
    };

    public static Option<string?> Filter() => new("--filter")
    {
        Description = "metadata filter applied inside the top k, as JSON: {\"term\": {\"year\": 2020}}, terms, range {\"gte\", \"lt\"...}, and/or/not (README: Filters)",
    };

    /// <summary>The parsed --filter, or null; a malformed one is a usage error naming where it is wrong.</summary>
    public static Index.Filters.SearchFilter? ParseFilter(ParseResult parse, Option<string?> filter) =>
        parse.GetValue(filter) is { } json ? Index.Filters.FilterParser.Parse(json, "--filter") : null;

    public static Option<bool> Exhaustive() => new("--exhaustive")
    {
        Description = "score every posting instead of block-max MaxScore pruning (the reference: same results, slower)",
    };

    public static Index.Impact.TopK.TopKAlgorithm Algorithm(ParseResult parse, Option<bool> exhaustive) =>
        parse.GetValue(exhaustive) ? Index.Impact.TopK.TopKAlgorithm.Exhaustive : Index.Impact.TopK.TopKAlgorithm.BlockMaxScore;

    public static Option<bool> Overwrite() => new("--overwrite") { Description = "replace an existing index built with other settings or from another source" };

    public static Option<int> BatchSize() => new("--batch-size")
    {
        Description = "documents written to Lucene per in-memory segment",
        DefaultValueFactory = _ => new IndexBuildOptions().BatchSize,
    };

    public static Option<bool> NoStoreText() => new("--no-store-text") { Description = "do not store title and text (smaller index, no snippets)" };

    public static Option<string> Split() => new("--split") { Description = "qrels split to evaluate", DefaultValueFactory = _ => "test" };

    public static Option<string> DataDir() => new("--data-dir")
    {
        Description = "where BEIR datasets fetched by name are cached (env SPARSESEARCH_DATA)",
        DefaultValueFactory = _ => BeirDatasetLocator.DefaultCacheDirectory,
    };

    public static Option<string> BeirUrl() => new("--beir-url")
    {
        Description = "base URL of the BEIR dataset zips",
        DefaultValueFactory = _ => BeirDatasetLocator.OfficialBaseUrl,
    };

    public static Option<OutputFormat> Output() => new("--output") { Description = "result format", DefaultValueFactory = _ => OutputFormat.Table };

    public static Option<LogFormat> LogFormat() => new("--log-format")
    {
        Description = "format of the log lines on stderr",
        DefaultValueFactory = _ => Cli.LogFormat.Text,
        Recursive = true,
    };
}

internal enum OutputFormat
{
    Table,
    Json,
}

internal enum LogFormat
{
    Text,
    Json,
}
