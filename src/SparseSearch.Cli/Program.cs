using System.CommandLine;
using SparseSearch.Cli.Commands;

namespace SparseSearch.Cli;

/// <summary>The <c>sparse</c> command: a thin shell over the indexing, search and evaluation libraries.</summary>
public static class Program
{
    internal static readonly Option<LogFormat> LogFormatOption = CliOptions.LogFormat();

    public static Task<int> Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Entry point for tests: the same parser and commands, with output captured.</summary>
    public static Task<int> Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("SparseSearch: learned sparse retrieval on Lucene.Net — index, search, evaluate")
        {
            LogFormatOption,
        };
        root.Subcommands.Add(IndexCommand.Create());
        root.Subcommands.Add(SearchCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(EncodeCommand.Create());
        root.Subcommands.Add(TokenizeCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }
}
