using System.CommandLine;
using System.Text.Json;
using SparseSearch.Encoding;
using SparseSearch.Index;
using Spectre.Console;

namespace SparseSearch.Cli.Commands;

/// <summary><c>sparse search</c>: top-k of one query against an index.</summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var index = CliOptions.IndexPath("index directory to search");
        index.Required = true;
        var query = new Argument<string>("query") { Description = "query text" };
        var k = new Option<int>("--k") { Description = "number of hits", DefaultValueFactory = _ => 10 };
        var vocab = CliOptions.Vocab();
        var model = CliOptions.Model();
        var device = CliOptions.Device();
        var output = CliOptions.Output();
        var exhaustive = CliOptions.Exhaustive();
        var command = new Command("search", "Search an index") { index, query, k, vocab, output, exhaustive, model, device };
        command.SetAction((parse, cancellation) => CommandRunner.Run(parse.InvocationConfiguration.Error, () =>
        {
            var text = parse.GetValue(query)!;
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new Core.InvalidSettingException("query is empty");
            }

            if (parse.GetValue(k) is < 1 or > 10_000)
            {
                throw new Core.InvalidSettingException("--k must be between 1 and 10000");
            }

            using var engine = SearchEngines.Open(parse.GetValue(index)!, null, new EncoderOptions(parse.GetValue(vocab)) { ModelPath = parse.GetValue(model), Device = parse.GetValue(device)! }, CliOptions.Algorithm(parse, exhaustive));
            var hits = engine.Search(text, parse.GetValue(k));
            var stdout = parse.InvocationConfiguration.Output;
            if (parse.GetValue(output) == OutputFormat.Json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(new
                {
                    query = text,
                    query_terms = engine.EncodeQuery(text).Weights,
                    hits = hits.Select(h => new { id = h.DocId, score = h.Score }),
                }));
                return Task.FromResult(0);
            }

            var table = new Table().AddColumns("rank", "id", "score");
            for (var i = 0; i < hits.Count; i++)
            {
                table.AddRow((i + 1).ToString(), Markup.Escape(hits[i].DocId), hits[i].Score.ToString("F4"));
            }

            Console(stdout).Write(table);
            return Task.FromResult(0);
        }));
        return command;
    }

    public static IAnsiConsole Console(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Interactive = InteractionSupport.No });
        // Redirected output has no terminal width; Spectre would assume 80 columns and wrap the metric table.
        console.Profile.Width = Math.Max(console.Profile.Width, 160);
        return console;
    }
}
