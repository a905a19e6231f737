using System.CommandLine;
using SparseSearch.Encoding.Analysis;

namespace SparseSearch.Cli.Commands;

/// <summary><c>sparse tokenize --vocab FILE</c>: each stdin line's WordPiece tokens, space-separated (no [CLS]/[SEP]).</summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var vocab = CliOptions.Vocab();
        vocab.Required = true;
        var command = new Command("tokenize", "Print the BERT WordPiece tokens of each line read on stdin (## continuations kept)") { vocab };
        command.SetAction((parse, cancellation) => CommandRunner.Run(parse.InvocationConfiguration.Error, async () =>
        {
            var analyzer = WordPieceTermAnalyzer.FromVocabulary(parse.GetValue(vocab)!);
            var output = parse.InvocationConfiguration.Output;
            string? line;
            while ((line = await Console.In.ReadLineAsync(cancellation)) is not null)
            {
                await output.WriteLineAsync(string.Join(' ', analyzer.Terms(line)));
            }

            return 0;
        }));
        return command;
    }
}
