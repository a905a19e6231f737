using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SparseSearch.Encoding;
using SparseSearch.Evaluation;
using SparseSearch.Evaluation.Beir;
using SparseSearch.Evaluation.Metrics;
using SparseSearch.Evaluation.Runs;
using SparseSearch.Index;
using SparseSearch.Index.Impact;
using Spectre.Console;

namespace SparseSearch.Cli.Commands;

/// <summary>
/// <c>sparse search</c>: one query (a table with titles and snippets, or JSON), or every query of a topics file into a
/// TREC run, Anserini style: no qrels needed, the same run <c>eval</c> writes for the same index and queries.
/// </summary>
internal static class SearchCommand
{
    private const int SingleQueryHits = 10;
    private const int TopicsHits = 1000;

    public static Command Create()
    {
        var index = CliOptions.IndexPath("index directory to search");
        index.Required = true;
        var query = new Argument<string?>("query") { Description = "query text (or --topics FILE)", Arity = ArgumentArity.ZeroOrOne };
        var topics = new Option<string?>("--topics") { Description = "run every query of this file: BEIR queries.jsonl or id<TAB>text TSV, plain or .gz" };
        var hits = new Option<int?>("--hits", "--k") { Description = $"hits per query (default {SingleQueryHits} for one query, {TopicsHits} with --topics)" };
        var run = new Option<string?>("--run") { Description = "with --topics: TREC run file to write (default: stdout)" };
        var tag = new Option<string?>("--tag") { Description = "run tag, the run file's last column (default: sparsesearch-<encoder>, as eval writes)" };
        var explain = new Option<bool>("--explain") { Description = "one query: list each hit's matched terms, query × document weight = contribution (impact indexes)" };
        var vocab = CliOptions.Vocab();
        var model = CliOptions.Model();
        var device = CliOptions.Device();
        var tf32 = CliOptions.Tf32();
        var output = new Option<SearchOutput?>("--output") { Description = "table (one query), json, or trec (default: table for one query, trec with --topics)" };
        var exhaustive = CliOptions.Exhaustive();
        var filter = CliOptions.Filter();
        var firstPassages = CliOptions.FirstPassages();
        var fusionFlags = new CliOptions.FusionFlags(building: false);
        var approximateFlags = new ApproximateSearchFlags();
        var command = new Command("search", "Search an index with one query, or run a topics file into a TREC run")
        {
            index, query, topics, hits, run, tag, explain, filter, firstPassages, vocab, output, exhaustive, model, device, tf32,
        };
        foreach (var option in fusionFlags.All.Concat(approximateFlags.All))
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellation) => CommandRunner.Run(parse.InvocationConfiguration.Error, () =>
        {
            var text = parse.GetValue(query);
            var topicsFile = parse.GetValue(topics);
            if ((text is null) == (topicsFile is null))
            {
                throw new Core.InvalidSettingException("give one query text or --topics FILE");
            }

            var k = parse.GetValue(hits) ?? (topicsFile is null ? SingleQueryHits : TopicsHits);
            if (k > 100_000)
            {
                throw new Core.InvalidSettingException("--hits must be at most 100000");
            }

            var metadataFilter = CliOptions.ParseFilter(parse, filter);
            var approximateSettings = approximateFlags.Read(parse);
            var encoderOptions = new EncoderOptions(parse.GetValue(vocab)) { ModelPath = parse.GetValue(model), Device = parse.GetValue(device)!, Tf32 = parse.GetValue(tf32) };
            using var engine = SearchEngines.Open(parse.GetValue(index)!, null, encoderOptions, CliOptions.Algorithm(parse, exhaustive), parse.GetValue(firstPassages),
                fusionFlags.Read(parse), approximateSettings);
            var stdout = parse.InvocationConfiguration.Output;
            if (topicsFile is not null)
            {
                using var logging = CliLogging.Create(parse.GetValue(Program.LogFormatOption));
                RunTopics(engine, topicsFile, k, metadataFilter, parse.GetValue(output) ?? SearchOutput.Trec, parse.GetValue(run), parse.GetValue(tag),
                    stdout, logging.CreateLogger("search"), cancellation);
                return Task.FromResult(0);
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                throw new Core.InvalidSettingException("query is empty");
            }

            var detailed = engine.SearchDetailed(text!, k, parse.GetValue(explain), metadataFilter);
            switch (parse.GetValue(output) ?? SearchOutput.Table)
            {
                case SearchOutput.Json:
                    stdout.WriteLine(JsonSerializer.Serialize(new
                    {
                        query = text,
                        query_terms = engine.EncodeQuery(text!).Weights,
                        // Present when asked for: the knobs, so a reader knows hits may differ from exact search.
                        approximate = approximateSettings?.ToString(),
                        hits = detailed.Select(h => new
                        {
                            id = h.Id,
                            score = h.Score,
                            title = h.Title,
                            snippet = h.Snippet.Text,
                            passage = h.Passage,
                            fields = h.FieldContributions?.Select(f => new { field = f.Field, rank = f.Rank, score = f.Score, normalized = f.Normalized, contribution = f.Contribution }),
                            metadata = h.Metadata is { } json ? JsonSerializer.Deserialize<JsonElement>(json) : (JsonElement?)null,
                            matches = h.Matches?.Select(m => new { term = m.Term, query_weight = m.QueryWeight, document_weight = m.DocumentWeight, contribution = m.Contribution }),
                        }),
                    }));
                    break;
                case SearchOutput.Trec:
                    TrecRunFile.Write(stdout, new Dictionary<string, IReadOnlyList<Core.Hit>> { ["0"] = detailed.Select(h => new Core.Hit(h.Id, h.Score)).ToArray() },
                        parse.GetValue(tag) ?? DefaultTag(engine));
                    break;
                default:
                    WriteTable(Console(stdout), detailed);
                    if (approximateSettings is not null)
                    {
                        stdout.WriteLine($"approximate search ({approximateSettings}): hits may differ from exact search");
                    }

                    break;
            }

            return Task.FromResult(0);
        }));
        return command;
    }

    /// <summary>The tag eval writes, so the two runs are the same bytes.</summary>
    private static string DefaultTag(ISearchEngine engine) =>
        TrecRunFile.TagFor(engine is Index.MultiField.FusedSearchEngine fused ? fused.Label : engine.Manifest.Encoder);

    private static void RunTopics(ISearchEngine engine, string topicsFile, int k, Index.Filters.SearchFilter? filter, SearchOutput output, string? runPath, string? tag, TextWriter stdout,
        ILogger logger, CancellationToken cancellation)
    {
        var queries = TopicsFile.Load(topicsFile);
        logger.LogInformation("Running {Queries} queries from {Topics}, {Hits} hits each", queries.Count, topicsFile, k);
        var (run, _, elapsed) = BatchSearch.Run(engine, queries, k, Environment.ProcessorCount, progress: new ProgressLog(logger, "queries"), cancellation: cancellation,
            filter: filter);
        if (output == SearchOutput.Json)
        {
            foreach (var id in run.Keys.Order(StringComparer.Ordinal))
            {
                stdout.WriteLine(JsonSerializer.Serialize(new { query_id = id, hits = RankedList.TrecOrder(run[id]).Select(h => new { id = h.DocId, score = h.Score }) }));
            }
        }
        else if (output == SearchOutput.Trec)
        {
            if (runPath is null)
            {
                TrecRunFile.Write(stdout, run, tag ?? DefaultTag(engine));
            }
            else
            {
                TrecRunFile.Write(runPath, run, tag ?? DefaultTag(engine));
                logger.LogInformation("Wrote run {Run}", runPath);
            }
        }
        else
        {
            throw new Core.InvalidSettingException("--topics writes --output trec or json, not a table");
        }

        logger.LogInformation("{Queries} queries in {Seconds:F1} s ({Rate:F0} queries/s)", queries.Count, elapsed.TotalSeconds, queries.Count / Math.Max(elapsed.TotalSeconds, 1e-9));
    }

    private static void WriteTable(IAnsiConsole console, IReadOnlyList<DetailedHit> hits)
    {
        var explained = hits.Any(h => h.Matches is not null);
        var withMetadata = hits.Any(h => h.Metadata is not null);
        var table = new Table().AddColumns("rank", "id", "score", "title", "snippet");
        if (withMetadata)
        {
            table.AddColumn("metadata");
        }

        if (explained)
        {
            table.AddColumn("matched terms (query × doc = contribution)");
        }

        for (var i = 0; i < hits.Count; i++)
        {
            var hit = hits[i];
            var row = new List<string>
            {
                (i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(hit.Id), hit.Score.ToString("F4", CultureInfo.InvariantCulture),
                Markup.Escape(hit.Title), Highlighted(hit.Snippet),
            };
            if (withMetadata)
            {
                row.Add(Markup.Escape(hit.Metadata ?? ""));
            }

            if (explained)
            {
                row.Add(Markup.Escape(string.Join("; ", hit.Matches!.Take(8).Select(m =>
                    string.Create(CultureInfo.InvariantCulture, $"{m.Term} {m.QueryWeight:0.###}×{m.DocumentWeight:0.###}={m.Contribution:0.###}")))));
            }

            table.AddRow(row.ToArray());
        }

        console.Write(table);
    }

    /// <summary>The snippet with its matched words in bold.</summary>
    private static string Highlighted(Snippets.Snippet snippet)
    {
        var text = snippet.Text;
        var marked = new System.Text.StringBuilder();
        var at = 0;
        foreach (var span in snippet.Highlights.OrderBy(s => s.Start))
        {
            if (span.Start < at)
            {
                continue;
            }

            marked.Append(Markup.Escape(text[at..span.Start])).Append("[bold]").Append(Markup.Escape(text.Substring(span.Start, span.Length))).Append("[/]");
            at = span.Start + span.Length;
        }

        return marked.Append(Markup.Escape(text[at..])).ToString();
    }

    public static IAnsiConsole Console(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Interactive = InteractionSupport.No });
        // Redirected output has no terminal width; Spectre would assume 80 columns and wrap the metric table.
        console.Profile.Width = Math.Max(console.Profile.Width, 160);
        return console;
    }
}

internal enum SearchOutput
{
    Table,
    Json,
    Trec,
}
