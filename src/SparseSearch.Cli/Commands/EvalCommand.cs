using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SparseSearch.Encoding;
using SparseSearch.Evaluation;
using SparseSearch.Evaluation.Beir;
using SparseSearch.Evaluation.Metrics;
using SparseSearch.Evaluation.Runs;
using SparseSearch.Index;
using Spectre.Console;

namespace SparseSearch.Cli.Commands;

/// <summary><c>sparse eval</c>: index the dataset if no matching index exists, run every judged query, measure.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var dataset = CliOptions.Dataset(required: false);
        var encoder = CliOptions.Encoder();
        var index = CliOptions.IndexPath("index directory, reused when it was built from this dataset with this encoder (default: index/<dataset>-<encoder>)");
        var encoderFlags = new CliOptions.EncoderFlags();
        var scale = CliOptions.Scale();
        var overwrite = CliOptions.Overwrite();
        var split = CliOptions.Split();
        var hits = new Option<int>("--hits") { Description = "hits retrieved per query", DefaultValueFactory = _ => new EvaluationOptions().Hits };
        var selfHits = new Option<SelfHitPolicy>("--self-hits")
        {
            Description = "drop hits whose doc id equals the query id: auto (only where the queries are the collection's own documents, as in ArguAna and Quora), remove or keep",
            DefaultValueFactory = _ => SelfHitPolicy.Auto,
        };
        var answeredOnly = new Option<bool>("--answered-queries-only")
        {
            Description = "average over judged queries with at least one hit (trec_eval without -c); default: every judged query counts, zero when unanswered (trec_eval -c)",
        };
        var run = new Option<string?>("--run") { Description = "TREC run file to write (default: eval/runs/<dataset>-<encoder>.trec)" };
        var output = CliOptions.Output();
        var dataDir = CliOptions.DataDir();
        var beirUrl = CliOptions.BeirUrl();
        var exhaustive = CliOptions.Exhaustive();
        var chunkTokens = CliOptions.ChunkTokens();
        var chunkOverlap = CliOptions.ChunkOverlap();
        var firstPassages = CliOptions.FirstPassages();
        var fusionFlags = new CliOptions.FusionFlags(building: false);
        var approximateSearch = new ApproximateSearchFlags();
        var approximateBuild = new ApproximateIndexFlags();
        var command = new Command("eval", "Index (if needed), search every judged query and report nDCG@10, MAP, P@30, R@100, R@1000, MRR@10")
        {
            dataset, encoder, index, scale, overwrite, split, hits, selfHits, answeredOnly, run, output, dataDir, beirUrl, exhaustive, chunkTokens, chunkOverlap,
            firstPassages,
        };
        foreach (var option in encoderFlags.All.Concat(fusionFlags.All).Concat(approximateSearch.All).Concat(approximateBuild.Knobs))
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellation) => CommandRunner.Run(parse.InvocationConfiguration.Error, () =>
        {
            using var logging = CliLogging.Create(parse.GetValue(Program.LogFormatOption));
            var logger = logging.CreateLogger("eval");
            if (parse.GetValue(hits) is < 1 or > 100_000)
            {
                throw new Core.InvalidSettingException("--hits must be between 1 and 100000");
            }

            var locator = new BeirDatasetLocator(parse.GetValue(dataDir)!, parse.GetValue(beirUrl)!);
            var directory = locator.Resolve(parse.GetValue(dataset)!, new ProgressLog(logger, "bytes"), cancellation);
            var beir = BeirDataset.Open(directory, parse.GetValue(split)!);
            var encoderOptions = encoderFlags.Read(parse);
            var fusion = fusionFlags.Read(parse);
            var encoderNames = fusion.Fields ?? [parse.GetValue(encoder)!];
            var definitions = encoderNames.Select(name => EncoderCatalog.Resolve(name, encoderOptions)).ToArray();
            using var disposeDefinitions = new DisposeAll(definitions);
            var definition = definitions[0];
            var path = parse.GetValue(index) ?? IndexCommand.DefaultIndexPath(directory, fusion.Fields is null ? definition.Name : "fields-" + string.Join('+', encoderNames));
            var corpus = new BeirCorpus(beir.CorpusPath);

            var indexClock = Stopwatch.StartNew();
            var quantizationScale = parse.GetValue(scale) ?? definition.DefaultQuantizationScale;
            // --approximate builds the index with its structures (if it lacks them) and searches with them.
            var approximate = approximateSearch.Read(parse);
            var buildOptions = new IndexBuildOptions
            {
                QuantizationScale = quantizationScale,
                Overwrite = parse.GetValue(overwrite),
                Chunking = Index.Chunking.ChunkingSettings.Resolve(parse.GetValue(chunkTokens), parse.GetValue(chunkOverlap), definition),
                Approximate = approximate is null ? null : approximateBuild.Read(parse, always: true),
            };
            var reused = fusion.Fields is null
                ? IndexBuilder.EnsureBuilt(corpus, definition, path, buildOptions, new ProgressLog(logger, "docs"), cancellation)
                : Index.MultiField.FieldsManifest.EnsureBuilt(corpus, definitions, path, buildOptions, parse.GetValue(scale), new ProgressLog(logger, "docs"), cancellation);
            if (reused)
            {
                logger.LogInformation("Reused index {Index} (same corpus, same encoder settings)", path);
            }
            else
            {
                IndexCommand.WarnOfTruncation(definition, buildOptions, logger);
            }

            var indexSeconds = indexClock.Elapsed.TotalSeconds;
            using var engine = SearchEngines.Open(path, fusion.Fields is null ? definition.Name : null, encoderOptions, CliOptions.Algorithm(parse, exhaustive),
                parse.GetValue(firstPassages), fusion, approximate);
            var label = (engine is Index.MultiField.FusedSearchEngine fused ? fused.Label : definition.Name) + (approximate is null ? "" : "-approximate");
            var evaluation = new EvaluationOptions { Hits = parse.GetValue(hits), SelfHits = parse.GetValue(selfHits), CompleteQueries = !parse.GetValue(answeredOnly) };
            var result = EvaluationRunner.Run(engine, beir, evaluation, new ProgressLog(logger, "queries"), cancellation);
            var runPath = parse.GetValue(run) ?? Path.Combine("eval", "runs", $"{beir.Name}-{label}.trec");
            TrecRunFile.Write(runPath, result.Run, TrecRunFile.TagFor(label));
            logger.LogInformation("Wrote run {Run}", runPath);

            var report = new EvalReport(beir.Name, label, path, reused, result, engine.DocumentCount, indexSeconds, runPath);
            var stdout = parse.InvocationConfiguration.Output;
            if (parse.GetValue(output) == OutputFormat.Json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(report.ToJson(), new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                report.WriteTable(SearchCommand.Console(stdout));
            }

            return Task.FromResult(0);
        }));
        return command;
    }

    private sealed record EvalReport(string Dataset, string Encoder, string Index, bool IndexReused, EvaluationResult Result, long Documents, double IndexSeconds, string RunFile)
    {
        public Dictionary<string, object> ToJson() => new()
        {
            ["dataset"] = Dataset,
            ["encoder"] = Encoder,
            ["index"] = Index,
            ["index_reused"] = IndexReused,
            ["metrics"] = QueryMetrics.Names.ToDictionary(n => n, n => Math.Round(Result.Metrics.Means[n], 4)),
            ["queries"] = Result.Metrics.QueriesEvaluated,
            ["documents"] = Documents,
            ["index_seconds"] = Math.Round(IndexSeconds, 3),
            ["search_seconds"] = Math.Round(Result.SearchTime.TotalSeconds, 3),
            ["run_file"] = RunFile,
            ["self_hits_removed"] = Result.SelfHitsRemoved,
            ["self_hits_dropped"] = Result.SelfHitCount,
        };

        public void WriteTable(IAnsiConsole console)
        {
            var table = new Table().AddColumns("dataset", "encoder").AddColumns(QueryMetrics.Names.ToArray()).AddColumns("queries", "docs", "index s", "search s");
            var row = new List<string> { Markup.Escape(Dataset), Markup.Escape(Encoder) };
            row.AddRange(QueryMetrics.Names.Select(n => Result.Metrics.Means[n].ToString("F4", CultureInfo.InvariantCulture)));
            row.Add(Result.Metrics.QueriesEvaluated.ToString(CultureInfo.InvariantCulture));
            row.Add(Documents.ToString(CultureInfo.InvariantCulture));
            row.Add(IndexSeconds.ToString("F1", CultureInfo.InvariantCulture) + (IndexReused ? " (reused)" : ""));
            row.Add(Result.SearchTime.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture));
            table.AddRow(row.ToArray());
            console.Write(table);
            console.WriteLine(Result.SelfHitsRemoved
                ? $"self-hits removed: the queries are this collection's documents, so {Result.SelfHitCount} hits with the query's own id were dropped (BEIR's rule; --self-hits keep to keep them)"
                : "self-hits kept: the queries are not this collection's documents (--self-hits remove to drop hits with the query's id anyway)");
        }
    }
}

/// <summary>Disposes every encoder a multi-field eval resolved.</summary>
internal sealed class DisposeAll(IEnumerable<IDisposable> items) : IDisposable
{
    public void Dispose()
    {
        foreach (var item in items)
        {
            item.Dispose();
        }
    }
}
