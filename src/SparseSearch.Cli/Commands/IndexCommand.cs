using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SparseSearch.Encoding;
using SparseSearch.Evaluation.Beir;
using SparseSearch.Index;

namespace SparseSearch.Cli.Commands;

/// <summary><c>sparse index</c>: corpus -> encoder -> index.</summary>
internal static class IndexCommand
{
    public static Command Create()
    {
        var dataset = CliOptions.Dataset(required: false);
        var vectors = new Option<string?>("--vectors")
        {
            Description = "index pre-encoded documents (Anserini JsonVectorCollection .jsonl[.gz]: {\"id\",\"contents\",\"vector\":{term:weight}}) instead of --dataset; queries then use the index's idf, tokenised with --vocab if given",
        };
        var encoder = CliOptions.Encoder();
        var index = CliOptions.IndexPath("index directory to build (default: index/<dataset>-<encoder>)");
        var encoderFlags = new CliOptions.EncoderFlags();
        var buildFlags = new BuildFlags();
        var fusionFlags = new CliOptions.FusionFlags(building: true);
        var dataDir = CliOptions.DataDir();
        var beirUrl = CliOptions.BeirUrl();
        var shards = new Option<int?>("--shards")
        {
            Description = "split the index into N shards (DIR/shard-<i>, documents routed by a stable hash of their id), built in parallel, for sparse silo and serve --cluster (default: one unsharded index)",
        };
        var command = new Command("index", "Encode a corpus and write it into an index (resumable: rerun the same command after a crash)")
        {
            dataset, vectors, encoder, index, dataDir, beirUrl, shards,
        };
        foreach (var option in encoderFlags.All.Concat(buildFlags.All).Concat(fusionFlags.All))
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellation) => CommandRunner.Run(parse.InvocationConfiguration.Error, () =>
        {
            using var logging = CliLogging.Create(parse.GetValue(Program.LogFormatOption));
            var logger = logging.CreateLogger("index");
            if (parse.GetValue(shards) is not null && fusionFlags.ReadFields(parse) is not null)
            {
                throw new Core.InvalidSettingException("--shards builds a sharded index of one encoder; it does not combine with --fields yet");
            }

            if (parse.GetValue(vectors) is { } vectorFile)
            {
                return Task.FromResult(IndexVectors(parse, vectorFile, index, encoderFlags, buildFlags, parse.GetValue(shards), logger, cancellation));
            }

            var locator = new BeirDatasetLocator(parse.GetValue(dataDir)!, parse.GetValue(beirUrl)!);
            var directory = locator.Resolve(parse.GetValue(dataset)!, new ProgressLog(logger, "bytes"), cancellation);
            if (fusionFlags.ReadFields(parse) is { } fields)
            {
                return Task.FromResult(IndexFields(parse, directory, fields, index, encoderFlags, buildFlags, logger, cancellation));
            }

            using var definition = EncoderCatalog.Resolve(parse.GetValue(encoder)!, encoderFlags.Read(parse));
            var path = parse.GetValue(index) ?? DefaultIndexPath(directory, definition.Name);
            var options = buildFlags.Read(parse, definition);
            var clock = Stopwatch.StartNew();
            var corpus = new BeirCorpus(BeirDataset.FindCorpus(directory));
            if (parse.GetValue(shards) is { } shardCount)
            {
                logger.LogInformation("Indexing {Corpus} with encoder {Encoder} into {Shards} shards under {Index}", corpus.Description, definition.Name, shardCount, path);
                var reused = Index.Sharding.ShardedIndexBuilder.EnsureBuilt(corpus, definition, path, options, shardCount, new ProgressLog(logger, "docs"), cancellation);
                logger.LogInformation(reused ? "Index {Index} is up to date" : "Indexed {Index} in {Seconds:F1} s", path, clock.Elapsed.TotalSeconds);
                return Task.FromResult(0);
            }

            if (!options.Overwrite && IndexBuilder.FindReusable(path, definition, corpus, options.QuantizationScale, overwrite: false, options.Chunking, options.Approximate) is { } existing)
            {
                logger.LogInformation("Index {Index} is up to date ({Documents} documents from the same corpus and settings)", path, existing.DocumentCount);
                return Task.FromResult(0);
            }

            logger.LogInformation("Indexing {Corpus} with encoder {Encoder} into {Index}", corpus.Description, definition.Name, path);
            var manifest = IndexBuilder.Build(corpus, definition, path, options, new ProgressLog(logger, "docs"), cancellation);
            logger.LogInformation("Indexed {Documents} documents into {Index} in {Seconds:F1} s", manifest.DocumentCount, path, clock.Elapsed.TotalSeconds);
            WarnOfTruncation(definition, options, logger);
            return Task.FromResult(0);
        }));
        return command;
    }

    private static int IndexVectors(ParseResult parse, string file, Option<string?> index, CliOptions.EncoderFlags encoderFlags, BuildFlags buildFlags,
        int? shards, ILogger logger, CancellationToken cancellation)
    {
        if (!File.Exists(file))
        {
            throw new Core.MissingInputException($"vectors file not found: {file}");
        }

        using var definition = (PrecomputedEncoderDefinition)EncoderCatalog.Resolve(PrecomputedEncoderDefinition.EncoderName, encoderFlags.Read(parse));
        var name = Path.GetFileName(file).Split('.')[0];
        var path = parse.GetValue(index) ?? Path.Combine("index", $"{name}-{definition.Name}");
        var options = buildFlags.Read(parse, definition);
        var corpus = new JsonVectorCorpus(file);
        var clock = Stopwatch.StartNew();
        if (shards is { } shardCount)
        {
            logger.LogInformation("Indexing pre-encoded vectors {Corpus} into {Shards} shards under {Index} (scale {Scale})", corpus.Description, shardCount, path, options.QuantizationScale);
            Index.Sharding.ShardedIndexBuilder.EnsureBuiltFromVectors(corpus, definition, path, options, shardCount, new ProgressLog(logger, "docs"), cancellation);
            logger.LogInformation("Indexed {Index} in {Seconds:F1} s", path, clock.Elapsed.TotalSeconds);
            return 0;
        }

        logger.LogInformation("Indexing pre-encoded vectors {Corpus} into {Index} (scale {Scale})", corpus.Description, path, options.QuantizationScale);
        var manifest = IndexBuilder.BuildFromVectors(corpus, definition, path, options, new ProgressLog(logger, "docs"), cancellation);
        logger.LogInformation("Indexed {Documents} documents into {Index} in {Seconds:F1} s; dropped {Dropped} weights <= 0",
            manifest.DocumentCount, path, clock.Elapsed.TotalSeconds, corpus.DroppedWeights);
        return 0;
    }

    /// <summary>Says when a model read only the start of some documents, and how to index all of their text.</summary>
    public static void WarnOfTruncation(EncoderDefinition encoder, IndexBuildOptions options, ILogger logger)
    {
        if (encoder is Encoding.Models.ModelEncoderDefinition model && options.Chunking is null && model.Tokenizer.Truncated > 0)
        {
            logger.LogWarning("{Truncated} documents had more than the model's {MaxLength} tokens and were encoded from their start only; --chunk-tokens auto indexes all of their text",
                model.Tokenizer.Truncated, model.Manifest.MaxLength);
        }
    }

    /// <summary>One field per encoder over the same corpus, in one job (each field resumable as any index).</summary>
    private static int IndexFields(ParseResult parse, string directory, IReadOnlyList<string> fields, Option<string?> index, CliOptions.EncoderFlags encoderFlags,
        BuildFlags buildFlags, ILogger logger, CancellationToken cancellation)
    {
        var encoders = new List<EncoderDefinition>();
        try
        {
            foreach (var field in fields)
            {
                encoders.Add(EncoderCatalog.Resolve(field, encoderFlags.Read(parse)));
            }

            var path = parse.GetValue(index) ?? DefaultIndexPath(directory, "fields-" + string.Join('+', fields));
            var options = buildFlags.Read(parse, encoders[0]);
            var corpus = new BeirCorpus(BeirDataset.FindCorpus(directory));
            var clock = Stopwatch.StartNew();
            logger.LogInformation("Indexing {Corpus} into {Index} with fields {Fields}", corpus.Description, path, string.Join(", ", fields));
            var reused = Index.MultiField.FieldsManifest.EnsureBuilt(corpus, encoders, path, options, buildFlags.Scale(parse), new ProgressLog(logger, "docs"), cancellation);
            logger.LogInformation(reused ? "Index {Index} is up to date" : "Indexed {Index} in {Seconds:F1} s", path, clock.Elapsed.TotalSeconds);
            return 0;
        }
        finally
        {
            encoders.ForEach(e => e.Dispose());
        }
    }

    /// <summary>The flags that shape an index build, bound together.</summary>
    private sealed class BuildFlags
    {
        private readonly Option<float?> _scale = CliOptions.Scale();
        private readonly Option<bool> _overwrite = CliOptions.Overwrite();
        private readonly Option<int> _batchSize = CliOptions.BatchSize();
        private readonly Option<bool> _noStoreText = CliOptions.NoStoreText();
        private readonly Option<long> _commitEvery = new("--commit-every")
        {
            Description = "corpus records between commits; a killed job resumes from the last commit",
            DefaultValueFactory = _ => new IndexBuildOptions().CommitEvery,
        };

        private readonly Option<int> _finalSegments = new("--final-segments")
        {
            Description = "segments a finished impact index is merged down to, in parallel (default: 2 with two or more cores, else 1)",
            DefaultValueFactory = _ => new IndexBuildOptions().FinalSegments,
        };

        private readonly Option<string?> _chunkTokens = CliOptions.ChunkTokens();
        private readonly Option<int> _chunkOverlap = CliOptions.ChunkOverlap();

        private readonly ApproximateIndexFlags _approximate = new();

        public IEnumerable<Option> All => [_scale, _overwrite, _batchSize, _noStoreText, _commitEvery, _finalSegments, _chunkTokens, _chunkOverlap, .. _approximate.All];

        public float? Scale(ParseResult parse) => parse.GetValue(_scale);

        public IndexBuildOptions Read(ParseResult parse, EncoderDefinition encoder) => new()
        {
            QuantizationScale = parse.GetValue(_scale) ?? encoder.DefaultQuantizationScale,
            Overwrite = parse.GetValue(_overwrite),
            BatchSize = Math.Max(1, parse.GetValue(_batchSize)),
            StoreText = !parse.GetValue(_noStoreText),
            CommitEvery = Math.Max(1, parse.GetValue(_commitEvery)),
            FinalSegments = Math.Max(1, parse.GetValue(_finalSegments)),
            Chunking = Index.Chunking.ChunkingSettings.Resolve(parse.GetValue(_chunkTokens), parse.GetValue(_chunkOverlap), encoder),
            Approximate = _approximate.Read(parse),
        };
    }

    /// <summary>Built indexes go under index/ by default, named after the dataset and encoder.</summary>
    public static string DefaultIndexPath(string datasetDirectory, string encoder) =>
        Path.Combine("index", $"{new DirectoryInfo(datasetDirectory).Name}-{encoder}");
}
