using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SparseSearch.Bench.Synthetic;
using SparseSearch.Encoding;
using SparseSearch.Evaluation.Beir;
using SparseSearch.Index;
using SparseSearch.Server;

namespace SparseSearch.Cli.Commands;

/// <summary>
/// <c>sparse bench writes</c>: single-document write latency through the HTTP API on a large BM25 index against a small
/// one, in the same run. A write's cost must not grow with the index: the answer is the ratio of the two p50s.
/// </summary>
internal static class WriteBenchCommand
{
    public static Command Create()
    {
        var work = new Option<string>("--work") { Description = "directory for the synthetic corpora and their bm25 indexes (reused across runs)", DefaultValueFactory = _ => Path.Combine("index", "bench-writes") };
        var docs = new Option<long>("--docs") { Description = "documents in the large index", DefaultValueFactory = _ => 1_000_000 };
        var baseline = new Option<long>("--baseline-docs") { Description = "documents in the small index measured alongside", DefaultValueFactory = _ => 10_000 };
        var writes = new Option<int>("--writes") { Description = "timed single-document writes per index (after 20 untimed ones)", DefaultValueFactory = _ => 200 };
        var command = new Command("writes", "Write latency p50/p95 through the API on a large bm25 index vs a small one (synthetic text)") { work, docs, baseline, writes };
        command.SetAction((parse, cancellation) => CommandRunner.Run(parse.InvocationConfiguration.Error, async () =>
        {
            using var logging = CliLogging.Create(parse.GetValue(Program.LogFormatOption));
            var logger = logging.CreateLogger("bench");
            var root = parse.GetValue(work)!;
            var small = await Measure(root, parse.GetValue(baseline), parse.GetValue(writes), logger, cancellation);
            var large = await Measure(root, parse.GetValue(docs), parse.GetValue(writes), logger, cancellation);
            var report = new Dictionary<string, object>
            {
                ["baseline"] = small,
                ["large"] = large,
                ["ratios"] = new Dictionary<string, double>
                {
                    ["write_p50_large_vs_baseline"] = Math.Round(large.P50Ms / small.P50Ms, 3),
                    ["write_p95_large_vs_baseline"] = Math.Round(large.P95Ms / small.P95Ms, 3),
                },
            };
            parse.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
            return 0;
        }));
        return command;
    }

    private static async Task<WriteLatency> Measure(string root, long documents, int writes, ILogger logger, CancellationToken cancellation)
    {
        var corpusDirectory = Path.Combine(root, $"text-{documents}");
        var corpusPath = SyntheticTextCorpus.Write(corpusDirectory, documents);
        using var encoder = EncoderCatalog.Resolve("bm25", new EncoderOptions(null));
        var built = Path.Combine(root, $"bm25-{documents}");
        var buildClock = Stopwatch.StartNew();
        IndexBuilder.EnsureBuilt(new BeirCorpus(corpusPath), encoder, built, new IndexBuildOptions { QuantizationScale = encoder.DefaultQuantizationScale, Overwrite = true },
            new ProgressLog(logger, "docs"), cancellation);
        var terms = CountTerms(built);
        logger.LogInformation("Index of {Documents} documents ready ({Terms} terms) in {Seconds:F0} s", documents, terms, buildClock.Elapsed.TotalSeconds);

        // Writes change the index: they go to a copy, so the built index stays reusable by the next run.
        var live = built + "-live";
        if (Directory.Exists(live))
        {
            Directory.Delete(live, recursive: true);
        }

        Directory.CreateDirectory(live);
        foreach (var file in Directory.EnumerateFiles(built))
        {
            File.Copy(file, Path.Combine(live, Path.GetFileName(file)));
        }

        var latencies = new List<double>();
        await using (var app = SparseSearchServer.Create(new ServerOptions { IndexPath = live, Urls = "http://127.0.0.1:0" }, new EncoderOptions(null)))
        {
            await app.StartAsync(cancellation);
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            for (var i = 0; i < writes + 20; i++)
            {
                var document = new[] { new { id = $"write-{i}", title = "", text = SyntheticTextCorpus.Text(80, i) } };
                var clock = Stopwatch.StartNew();
                var response = await client.PostAsJsonAsync("/documents", document, cancellation);
                response.EnsureSuccessStatusCode();
                if (i >= 20)
                {
                    latencies.Add(clock.Elapsed.TotalMilliseconds);
                }
            }

            await app.StopAsync(cancellation);
        }

        Directory.Delete(live, recursive: true);
        latencies.Sort();
        return new WriteLatency(documents, terms, Math.Round(latencies[latencies.Count / 2], 3), Math.Round(latencies[(int)(latencies.Count * 0.95)], 3), writes);
    }

    private static long CountTerms(string index)
    {
        using var directory = Lucene.Net.Store.FSDirectory.Open(index);
        using var reader = Lucene.Net.Index.DirectoryReader.Open(directory);
        return reader.Leaves.Sum(l => l.AtomicReader.GetTerms(IndexFields.Impacts)?.Count ?? 0);
    }

    private sealed record WriteLatency(long Documents, long Terms, double P50Ms, double P95Ms, int Writes);
}
