using System.CommandLine;
using Microsoft.Extensions.Logging;
using SparseSearch.Evaluation.Fusion;
using SparseSearch.Evaluation.Runs;

namespace SparseSearch.Cli.Commands;

/// <summary><c>sparse fuse</c>: hybrid fusion of TREC runs, with the semantics of Anserini's FuseRuns.</summary>
internal static class FuseCommand
{
    public static Command Create()
    {
        var defaults = new FusionOptions();
        var runs = new Option<string[]>("--runs") { Description = "TREC run files to fuse (two or more)", Required = true, AllowMultipleArgumentsPerToken = true };
        var method = new Option<FusionMethod>("--method") { Description = "rrf (Σ 1/(k + rank)), average (mean score) or interpolation (alpha × first + (1 − alpha) × second)", DefaultValueFactory = _ => defaults.Method };
        var rrfK = new Option<double>("--rrf-k") { Description = "RRF rank constant", DefaultValueFactory = _ => defaults.RrfK };
        var depth = new Option<int>("--depth") { Description = "hits read from each run per query", DefaultValueFactory = _ => defaults.Depth };
        var k = new Option<int>("--k") { Description = "hits written per query", DefaultValueFactory = _ => defaults.K };
        var alpha = new Option<double>("--alpha") { Description = "interpolation: weight of the first run (0..1)", DefaultValueFactory = _ => defaults.Alpha };
        var minMax = new Option<bool>("--min-max-normalization") { Description = "rescale each run's scores per query to [0, 1] before average or interpolation" };
        var raw = new Option<bool>("--raw-scores") { Description = "average or interpolate the runs' scores as they are (only sensible when they share a scale)" };
        var output = new Option<string>("--output") { Description = "fused TREC run to write", Required = true };
        var tag = new Option<string>("--tag") { Description = "run tag of the fused run", DefaultValueFactory = _ => "sparsesearch-fusion" };
        var command = new Command("fuse", "Fuse TREC runs (reciprocal rank fusion, average or interpolation) into one run")
        {
            runs, method, rrfK, depth, k, alpha, minMax, raw, output, tag,
        };
        command.SetAction((parse, cancellation) => CommandRunner.Run(parse.InvocationConfiguration.Error, () =>
        {
            using var logging = CliLogging.Create(parse.GetValue(Program.LogFormatOption));
            var logger = logging.CreateLogger("fuse");
            var options = new FusionOptions
            {
                Method = parse.GetValue(method),
                RrfK = parse.GetValue(rrfK),
                Depth = parse.GetValue(depth),
                K = parse.GetValue(k),
                Alpha = parse.GetValue(alpha),
                MinMaxNormalization = parse.GetValue(minMax),
            };
            if (options.Method != FusionMethod.Rrf && !options.MinMaxNormalization && !parse.GetValue(raw))
            {
                // Runs of different models score on different scales (BM25 in the tens, SPLADE dot products in the
                // hundreds): a plain mean is dominated by one of them. Saying which is the user's call, never silent.
                throw new Core.InvalidSettingException(
                    $"--method {options.Method.ToString().ToLowerInvariant()} combines raw scores; pass --min-max-normalization, or --raw-scores if the runs share a scale");
            }

            var files = parse.GetValue(runs)!;
            var inputs = files.Select(f => File.Exists(f) ? TrecRunFile.Read(f) : throw new Core.MissingInputException($"run file not found: {f}")).ToArray();
            var fused = RunFusion.Fuse(inputs, options);
            TrecRunFile.Write(parse.GetValue(output)!, fused, parse.GetValue(tag)!);
            logger.LogInformation("Fused {Runs} runs ({Method}) over {Queries} queries into {Output}", files.Length, options.Method, fused.Count, parse.GetValue(output));
            return Task.FromResult(0);
        }));
        return command;
    }
}
