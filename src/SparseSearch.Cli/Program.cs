using System.CommandLine;
using SparseSearch.Cli.Commands;

namespace SparseSearch.Cli;

/// <summary>The <c>sparse</c> command: a thin shell over the indexing, search and evaluation libraries.</summary>
public static class Program
{
    internal static readonly Option<LogFormat> LogFormatOption = CliOptions.LogFormat();

    public static Task<int> Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>The command tree with its option rules (tests walk it too).</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("SparseSearch: learned sparse retrieval on Lucene.Net — index, search, evaluate")
        {
            LogFormatOption,
        };
        root.Subcommands.Add(IndexCommand.Create());
        root.Subcommands.Add(SearchCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(FuseCommand.Create());
        root.Subcommands.Add(TrecEvalCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(SiloCommand.Create());
        root.Subcommands.Add(EncodeCommand.Create());
        root.Subcommands.Add(TokenizeCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        OptionRules.Apply(root);
        return root;
    }

    /// <summary>Entry point for tests: the same parser and commands, with output captured.</summary>
    public static Task<int> Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = BuildRoot();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // A usage error is a user error like any other: one line naming it, exit 2 (not the whole help on stdout).
            var command = string.Join(' ', parse.CommandResult.Command.Parents.OfType<Command>().Reverse().Skip(1).Select(c => c.Name).Append(parse.CommandResult.Command.Name));
            var first = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
            var message = string.Join(' ', first.Message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            error.WriteLine($"error: {message} (see '{(command == root.Name ? "sparse" : "sparse " + command)} --help')");
            return Task.FromResult(CommandRunner.UserError);
        }

        return parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }
}
