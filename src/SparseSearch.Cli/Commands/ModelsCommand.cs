using System.CommandLine;
using System.Text.Json;
using SparseSearch.Encoding.Models;
using Spectre.Console;

namespace SparseSearch.Cli.Commands;

/// <summary><c>sparse models list</c> (installed models) and <c>sparse models bench</c> (CPU encode throughput).</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "Installed models and their encode throughput");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(ModelBenchCommand.Create());
        return command;
    }

    private static Command CreateList()
    {
        var directory = new Option<string>("--dir") { Description = "folder holding model directories", DefaultValueFactory = _ => "models" };
        var output = CliOptions.Output();
        var command = new Command("list", "List the model directories (with sparse-model.json) under --dir") { directory, output };
        command.SetAction((parse, cancellation) => CommandRunner.Run(parse.InvocationConfiguration.Error, () =>
        {
            var root = parse.GetValue(directory)!;
            if (!Directory.Exists(root))
            {
                throw new Core.MissingInputException($"models folder not found: {root}");
            }

            var rows = new List<(string Path, SparseModelManifest? Manifest, string? Error)>();
            foreach (var candidate in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
            {
                if (!File.Exists(Path.Combine(candidate, SparseModelManifest.FileName)))
                {
                    continue;
                }

                try
                {
                    rows.Add((candidate, SparseModelManifest.Load(candidate), null));
                }
                catch (Core.SparseSearchException e)
                {
                    rows.Add((candidate, null, e.Message));
                }
            }

            var stdout = parse.InvocationConfiguration.Output;
            if (parse.GetValue(output) == OutputFormat.Json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(rows.Select(r => new
                {
                    path = r.Path,
                    name = r.Manifest?.Name,
                    family = r.Manifest?.Family.ToString().ToLowerInvariant(),
                    output = r.Manifest?.OutputKind.ToString(),
                    query = r.Manifest?.QueryMode.ToString(),
                    max_length = r.Manifest?.MaxLength,
                    error = r.Error,
                })));
                return Task.FromResult(0);
            }

            var table = new Table().AddColumns("model", "family", "output", "queries", "max length", "scale", "path");
            foreach (var (path, manifest, error) in rows)
            {
                table.AddRow(manifest is null
                    ? [Markup.Escape(Path.GetFileName(path)), "[red]invalid[/]", Markup.Escape(error ?? ""), "", "", "", Markup.Escape(path)]
                    : [Markup.Escape(manifest.Name), manifest.Family.ToString().ToLowerInvariant(), manifest.OutputKind.ToString(),
                        manifest.QueryMode == QueryMode.Siamese ? "siamese" : manifest.IdfPath is null ? "inference-free (index idf)" : "inference-free (idf.json)",
                        manifest.MaxLength.ToString(), manifest.QuantizationScale.ToString(), Markup.Escape(path)]);
            }

            SearchCommand.Console(stdout).Write(table);
            return Task.FromResult(0);
        }));
        return command;
    }
}
