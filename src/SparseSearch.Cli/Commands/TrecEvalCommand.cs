using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SparseSearch.Evaluation.Beir;
using SparseSearch.Evaluation.Metrics;
using SparseSearch.Evaluation.Runs;
using Spectre.Console;

namespace SparseSearch.Cli.Commands;

/// <summary>
/// <c>sparse trec-eval</c>: the measures of a TREC run file against qrels, with the conventions <c>eval</c> uses
/// (trec_eval -c by default), for runs made elsewhere or fused by <c>sparse fuse</c>.
/// </summary>
internal static class TrecEvalCommand
{
    public static Command Create()
    {
        var qrels = new Option<string>("--qrels") { Description = "qrels file (BEIR TSV or TREC four-column), or a BEIR dataset directory (with --split)", Required = true };
        var split = CliOptions.Split();
        var run = new Option<string>("--run") { Description = "TREC run file to measure", Required = true };
        var answeredOnly = new Option<bool>("--answered-queries-only") { Description = "average over judged queries with hits (trec_eval without -c)" };
        var output = CliOptions.Output();
        var command = new Command("trec-eval", "Measure a TREC run against qrels: nDCG@10, MAP, P@30, R@100, R@1000, MRR@10") { qrels, split, run, answeredOnly, output };
        command.SetAction((parse, _) => CommandRunner.Run(parse.InvocationConfiguration.Error, () =>
        {
            var qrelsPath = parse.GetValue(qrels)!;
            if (Directory.Exists(qrelsPath))
            {
                qrelsPath = BeirDataset.Open(qrelsPath, parse.GetValue(split)!).QrelsPath;
            }

            var runPath = parse.GetValue(run)!;
            if (!File.Exists(runPath))
            {
                throw new Core.MissingInputException($"run file not found: {runPath}");
            }

            var metrics = RunEvaluator.Evaluate(TrecRunFile.Read(runPath), Qrels.Load(qrelsPath), complete: !parse.GetValue(answeredOnly));
            var stdout = parse.InvocationConfiguration.Output;
            if (parse.GetValue(output) == OutputFormat.Json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["run"] = runPath,
                    ["metrics"] = QueryMetrics.Names.ToDictionary(n => n, n => Math.Round(metrics.Means[n], 4)),
                    ["queries"] = metrics.QueriesEvaluated,
                }, new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                var table = new Table().AddColumn("run").AddColumns(QueryMetrics.Names.ToArray()).AddColumn("queries");
                table.AddRow([Markup.Escape(runPath), .. QueryMetrics.Names.Select(n => metrics.Means[n].ToString("F4", CultureInfo.InvariantCulture)),
                    metrics.QueriesEvaluated.ToString(CultureInfo.InvariantCulture)]);
                SearchCommand.Console(stdout).Write(table);
            }

            return Task.FromResult(0);
        }));
        return command;
    }
}
