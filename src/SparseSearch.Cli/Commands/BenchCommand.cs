using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SparseSearch.Bench;
using SparseSearch.Bench.Synthetic;
using Spectre.Console;

namespace SparseSearch.Cli.Commands;

/// <summary><c>sparse bench</c>: top-k algorithms against Lucene's BM25 on a synthetic corpus; <c>bench generate</c> writes that corpus out.</summary>
internal static class BenchCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static Command Create()
    {
        var corpusFlags = new CorpusFlags();
        var work = new Option<string>("--work") { Description = "directory for the bench indexes (reused across runs of the same corpus)", DefaultValueFactory = _ => new BenchOptions().WorkDirectory };
        var rebuild = new Option<bool>("--rebuild") { Description = "rebuild the bench indexes even if a previous run left matching ones" };
        var k = new Option<int>("--k") { Description = "hits per query", DefaultValueFactory = _ => new BenchOptions().K };
        var rounds = new Option<int>("--rounds") { Description = "timed passes over each query set", DefaultValueFactory = _ => new BenchOptions().Rounds };
        var filterBuckets = new Option<int>("--filter-buckets")
        {
            Description = "buckets of 1000 each filtered query accepts (10: a 1% filter, 1: 0.1%)",
            DefaultValueFactory = _ => new BenchOptions().FilterBuckets,
        };
        var approximateBuild = new ApproximateIndexFlags();
        var approximateOnly = new Option<bool>("--approximate-only") { Description = "only the approximate recall/latency sweep and its exact baseline" };
        var filteredOnly = new Option<bool>("--filtered-only") { Description = "only the filtered figures, with the same queries unfiltered and with postings-only filtering" };
        var sweepTerms = new Option<string>("--approx-sweep-query-terms")
        {
            Description = "comma-separated query-term cuts the approximate sweep tries ('all' allowed)",
            DefaultValueFactory = _ => string.Join(',', new BenchOptions().ApproximateQueryTerms.Select(Index.Approximate.ApproximateSearchSettings.Format)),
        };
        var sweepCandidates = new Option<string>("--approx-sweep-candidates")
        {
            Description = "comma-separated candidate counts the approximate sweep tries",
            DefaultValueFactory = _ => string.Join(',', new BenchOptions().ApproximateCandidates.Select(Index.Approximate.ApproximateSearchSettings.Format)),
        };
        var shards = new Option<string?>("--shards")
        {
            Description = "comma-separated shard counts (e.g. 1,2,4): only the cluster bench, the corpus split that many ways and served by a silo, against the single node",
        };
        var concurrency = new Option<int>("--concurrency") { Description = "with --shards: queries in flight for the throughput figures", DefaultValueFactory = _ => 4 };
        var output = CliOptions.Output();
        var command = new Command("bench", "Benchmark top-k retrieval (MaxScore, exhaustive, Lucene) and indexing on a synthetic SPLADE-like corpus")
        {
            work, rebuild, k, rounds, filterBuckets, approximateOnly, filteredOnly, sweepTerms, sweepCandidates, shards, concurrency, output,
        };
        foreach (var option in corpusFlags.All.Concat(approximateBuild.Knobs))
        {
            command.Options.Add(option);
        }

        command.Subcommands.Add(CreateGenerate());
        command.Subcommands.Add(WriteBenchCommand.Create());
        command.SetAction((parse, cancellation) => CommandRunner.Run(parse.InvocationConfiguration.Error, () =>
        {
            if (parse.GetValue(k) is < 1 or > 10_000 || parse.GetValue(rounds) < 1 || parse.GetValue(filterBuckets) is < 1 or > 999)
            {
                throw new Core.InvalidSettingException("--k must be between 1 and 10000, --rounds at least 1 and --filter-buckets between 1 and 999");
            }

            using var logging = CliLogging.Create(parse.GetValue(Program.LogFormatOption));
            var logger = logging.CreateLogger("bench");
            var options = new BenchOptions
            {
                Corpus = corpusFlags.Read(parse),
                WorkDirectory = parse.GetValue(work)!,
                Rebuild = parse.GetValue(rebuild),
                K = parse.GetValue(k),
                Rounds = parse.GetValue(rounds),
                FilterBuckets = parse.GetValue(filterBuckets),
                Approximate = approximateBuild.Read(parse, always: true)!,
                ApproximateOnly = parse.GetValue(approximateOnly),
                FilteredOnly = parse.GetValue(filteredOnly),
                ApproximateQueryTerms = Counts(parse.GetValue(sweepTerms)!, "--approx-sweep-query-terms"),
                ApproximateCandidates = Counts(parse.GetValue(sweepCandidates)!, "--approx-sweep-candidates"),
            };
            logger.LogInformation("Bench over {Documents} synthetic documents (seed {Seed}) in {Work}", options.Corpus.Documents, options.Corpus.Seed, options.WorkDirectory);
            var stdout = parse.InvocationConfiguration.Output;
            if (parse.GetValue(shards) is { } shardList)
            {
                return RunCluster(options, ShardCounts(shardList), parse.GetValue(concurrency), parse.GetValue(output), stdout, logger, cancellation);
            }

            var report = BenchRunner.Run(options, new ProgressLog(logger, "docs"), cancellation);
            if (parse.GetValue(output) == OutputFormat.Json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(report, Json));
            }
            else
            {
                WriteTables(SearchCommand.Console(stdout), report);
            }

            return Task.FromResult(0);
        }));
        return command;
    }

    private static Command CreateGenerate()
    {
        var corpusFlags = new CorpusFlags();
        var output = new Option<string>("--out") { Description = "directory to write corpus.jsonl.gz (JsonVectorCollection) and the two query files into", Required = true };
        var command = new Command("generate", "Write the synthetic corpus as Anserini JsonVectorCollection (for sparse index --vectors) plus its queries") { output };
        foreach (var option in corpusFlags.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellation) => CommandRunner.Run(parse.InvocationConfiguration.Error, () =>
        {
            using var logging = CliLogging.Create(parse.GetValue(Program.LogFormatOption));
            var logger = logging.CreateLogger("bench");
            var corpus = new SyntheticCorpus(corpusFlags.Read(parse));
            var files = SyntheticCorpusFiles.Write(corpus, parse.GetValue(output)!, new ProgressLog(logger, "docs"), cancellation);
            logger.LogInformation("Wrote {Documents} documents to {Corpus}, queries to {InferenceFree} and {Expanded}",
                corpus.Spec.Documents, files.Corpus, files.InferenceFreeQueries, files.ExpandedQueries);
            return Task.FromResult(0);
        }));
        return command;
    }

    private static async Task<int> RunCluster(BenchOptions options, int[] shards, int concurrency, OutputFormat output, TextWriter stdout, ILogger logger,
        CancellationToken cancellation)
    {
        if (concurrency is < 1 or > 256)
        {
            throw new Core.InvalidSettingException("--concurrency must be between 1 and 256");
        }

        var report = await Cluster.Bench.ClusterBench.RunAsync(options, shards, concurrency, new ProgressLog(logger, "docs"), cancellation);
        if (output == OutputFormat.Json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(report, Json));
            return 0;
        }

        var console = SearchCommand.Console(stdout);
        foreach (var name in report.Queries.Keys)
        {
            var table = new Table().Title($"{name}: {report.Queries[name]} queries, top-{report.K}, {report.Cores} cores; QPS with {report.Concurrency} in flight")
                .AddColumns("setup", "p50 ms", "p99 ms", "QPS", "identical to single node", "bytes/doc", "largest shard");
            table.AddRow("single node (in-process)", report.SingleNode[name].P50Ms.ToString("F3"), report.SingleNode[name].P99Ms.ToString("F3"),
                report.SingleNodeQps[name].ToString("F0"), "-", "-", "-");
            foreach (var figures in report.Sharded)
            {
                table.AddRow($"{figures.Shards} shard(s) via a silo", figures.Latency[name].P50Ms.ToString("F3"), figures.Latency[name].P99Ms.ToString("F3"),
                    figures.Qps[name].ToString("F0"), $"{figures.IdenticalToSingleNode[name]}/{report.Queries[name]}", figures.BytesPerDocument.ToString("F0"),
                    figures.LargestShardDocuments.ToString());
            }

            console.Write(table);
        }

        return 0;
    }

    private static int[] ShardCounts(string list)
    {
        var counts = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(item => int.TryParse(item, out var n) && n is >= 1 and <= Index.Sharding.ShardedIndexBuilder.MaxShards ? n
                : throw new Core.InvalidSettingException($"--shards takes shard counts between 1 and {Index.Sharding.ShardedIndexBuilder.MaxShards}, found '{item}'"))
            .ToArray();
        return counts.Length > 0 ? counts : throw new Core.InvalidSettingException("--shards needs at least one shard count, e.g. --shards 1,2,4");
    }

    private static int[] Counts(string list, string flag) => list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(item => Index.Approximate.ApproximateSearchSettings.Parse(item, flag)).ToArray() is { Length: > 0 } counts ? counts
        : throw new Core.InvalidSettingException($"{flag} needs at least one value");

    private static void WriteTables(IAnsiConsole console, BenchReport report)
    {
        var indexes = new Table().AddColumns("index", "documents", "seconds", "docs/s", "bytes", "bytes/doc");
        foreach (var (name, figures) in new[] { ("impact (pre-encoded vectors)", report.ImpactIndex), ("lucene bm25 (text)", report.LuceneBm25Index) }
            .Where(f => f.Item2 is not null).Select(f => (f.Item1, f.Item2!)))
        {
            indexes.AddRow(name, figures.Documents.ToString(), figures.Seconds?.ToString("F1") ?? "reused", figures.DocsPerSecond?.ToString("F0") ?? "-",
                figures.Bytes.ToString(), figures.BytesPerDocument.ToString("F0"));
        }

        console.Write(indexes);
        var filtered = report.Filtered ?? new Dictionary<string, QuerySetFigures>();
        foreach (var (name, set) in new[] { ("inference-free", report.InferenceFree), ("expanded", report.Expanded) }
            .Where(s => s.Item2 is not null).Select(s => (s.Item1, s.Item2!))
            .Concat(filtered.Select(f => ($"{f.Key.Replace('_', '-')} under a {report.FilterSelectivity:P1} metadata filter", f.Value))))
        {
            var table = new Table().Title($"{name}: {set.Queries} queries, {set.MeanTerms:F1} terms on average, top-{report.K}; pruned = exhaustive on {set.IdenticalToExhaustive}/{set.Queries}")
                .AddColumns("algorithm", "p50 ms", "p99 ms", "mean ms", "QPS (1 thread)");
            foreach (var (algorithm, stats) in set.Algorithms)
            {
                table.AddRow(algorithm, stats.P50Ms.ToString("F3"), stats.P99Ms.ToString("F3"), stats.MeanMs.ToString("F3"), stats.Qps.ToString("F0"));
            }

            console.Write(table);
        }

        if (report.Approximate is { } approximate)
        {
            console.WriteLine($"approximate structures: {approximate.Segments} segments, {approximate.Bytes / (1 << 20)} MiB in memory ({approximate.BytesPerDocument:F0} B/doc, "
                + $"{approximate.BytesVsImpactIndex:F2}x the impact index), {approximate.FileBytes / (1 << 20)} MiB on disk, built in {approximate.BuildSeconds?.ToString("F1") ?? "(reused)"} s");
            foreach (var (name, curve) in approximate.Curves)
            {
                var table = new Table().Title($"approximate {name}: {curve.Queries} queries; exact pruned p50 {curve.ExactPruned.P50Ms:F3} ms")
                    .AddColumns("query terms", "candidates", "p50 ms", "p99 ms", "recall@k mean", "recall@k min", "p50 / exact");
                foreach (var point in curve.Points)
                {
                    table.AddRow(point.QueryTerms, point.Candidates, point.P50Ms.ToString("F3"), point.P99Ms.ToString("F3"), point.MeanRecall.ToString("F4"),
                        point.MinRecall.ToString("F2"), point.P50VsExactPruned.ToString("F3"));
                }

                console.Write(table);
            }
        }

        if (report.Shape is { } shape)
        {
            console.WriteLine($"corpus shape ({shape.SampledDocuments} documents): non-zeros {shape.DocumentNonZeros:F0} per document, {shape.QueryNonZeros:F1} per expanded query; "
                + $"L1 mass in the largest 10% of entries {shape.DocumentTopTenPercentMass:P0} (documents), {shape.QueryTopTenPercentMass:P0} (queries); "
                + $"in the largest 20 {shape.DocumentTop20Mass:P0} / {shape.QueryTop20Mass:P0}");
        }

        var ratios = new Table().AddColumns("ratio", "value");
        foreach (var (name, value) in report.Ratios)
        {
            ratios.AddRow(name, value.ToString("F3"));
        }

        console.Write(ratios);
        console.WriteLine($"peak working set: {report.PeakWorkingSetBytes / (1 << 20)} MiB");
    }

    /// <summary>The synthetic corpus flags, shared by bench and bench generate.</summary>
    private sealed class CorpusFlags
    {
        private readonly Option<long> _docs = new("--docs") { Description = "synthetic documents", DefaultValueFactory = _ => new SyntheticCorpusSpec().Documents };
        private readonly Option<int> _seed = new("--seed") { Description = "random seed (same seed, same corpus and queries)", DefaultValueFactory = _ => new SyntheticCorpusSpec().Seed };
        private readonly Option<int> _inferenceFree = new("--inference-free-queries") { Description = "inference-free queries (5-15 tokens, idf weights)", DefaultValueFactory = _ => new SyntheticCorpusSpec().InferenceFreeQueries };
        private readonly Option<int> _expanded = new("--expanded-queries") { Description = "expanded queries (30-80 weighted terms)", DefaultValueFactory = _ => new SyntheticCorpusSpec().ExpandedQueries };

        public IEnumerable<Option> All => [_docs, _seed, _inferenceFree, _expanded];

        public SyntheticCorpusSpec Read(ParseResult parse) => new()
        {
            Documents = parse.GetValue(_docs),
            Seed = parse.GetValue(_seed),
            InferenceFreeQueries = Math.Max(1, parse.GetValue(_inferenceFree)),
            ExpandedQueries = Math.Max(1, parse.GetValue(_expanded)),
        };
    }
}
