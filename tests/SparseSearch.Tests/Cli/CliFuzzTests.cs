using System.CommandLine;
using SparseSearch.Cli;

namespace SparseSearch.Tests.Cli;

/// <summary>
/// Seeded option fuzz of every command: hostile values for its flags (negative, zero, NaN, huge, non-numeric, empty,
/// control characters), unknown flags and stray arguments. Inputs always point at paths that do not exist, so nothing
/// runs for real; the only acceptable outcomes are success (0) and a user error (2) on one line, never a crash (70),
/// a parser's exit 1 or a stack trace.
/// </summary>
[Trait("Category", "Fuzz")]
public class CliFuzzTests
{
    private static readonly string[] Values =
    [
        "", "-1", "0", "1", "3", "-0", "NaN", "Infinity", "-Infinity", "1e99", "99999999999999999999", "abc", "0x10", "1,5", "\u0000", "\t",
        "--", "-", "true", "false", "json", "table", "cpu", "cuda", "cuda:7", "gpu", "bm25", "lucene-bm25", "splade", "http://[::1", "exact", "lucene48",
        new string('9', 400), "é", "\ud83d\ude00",
    ];

    [Fact]
    public async Task Hostile_options_only_ever_exit_0_or_2_with_one_error_line()
    {
        using var directory = TestPaths.Temporary();
        var missing = directory.Combine("missing");
        var aFile = directory.Combine("a-file");
        File.WriteAllText(aFile, "not a directory");
        // Each command with arguments that make it fail fast (or finish at once) whatever the fuzzed flags say.
        string[][] anchors =
        [
            ["index", "--dataset", missing, "--index", missing + "-i"],
            ["index", "--vectors", missing + ".jsonl", "--index", missing + "-v"],
            ["search", "--index", missing, "a query"],
            ["eval", "--dataset", missing, "--index", missing + "-e"],
            ["serve", "--index", missing],
            ["encode", "--model", missing, "--dataset", missing],
            ["tokenize", "--vocab", missing, "text"],
            ["models", "list", "--dir", missing],
            ["bench", "generate", "--out", Path.Combine(aFile, "under-a-file")],
            ["fuse", "--runs", missing + "-a.trec", missing + "-b.trec", "--output", missing + "-fused.trec"],
            ["trec-eval", "--qrels", missing, "--run", missing + ".trec"],
            ["search", "--index", missing, "--topics", missing + ".tsv"],
        ];
        var pathOptions = new HashSet<string> { "--runs", "--qrels", "--topics", "--dataset", "--index", "--vectors", "--model", "--vocab", "--dir", "--out", "--work", "--run", "--data-dir", "--text", "--read-key-file", "--write-key-file" };
        var random = new Random(2026);
        var outcomes = new Dictionary<int, int>();
        for (var i = 0; i < 2_000; i++)
        {
            var anchor = anchors[i % anchors.Length];
            var options = FindCommand(anchor).Options.Where(o => !pathOptions.Contains(o.Name) && o.Name != "--help").ToArray();
            var args = new List<string>(anchor);
            for (var n = random.Next(1, 4); n > 0; n--)
            {
                switch (options.Length == 0 ? 0 : random.Next(10))
                {
                    case 0:
                        args.Add("--" + Values[random.Next(Values.Length)] + "x");
                        break;
                    case 1:
                        args.Insert(random.Next(1, args.Count + 1), Values[random.Next(Values.Length)]);
                        break;
                    default:
                        var option = options[random.Next(options.Length)];
                        args.Add(option.Name);
                        if (random.Next(8) != 0)
                        {
                            args.Add(Values[random.Next(Values.Length)]);
                        }

                        break;
                }
            }

            var output = new StringWriter();
            var error = new StringWriter();
            var exit = await Program.Run([.. args], output, error);
            outcomes[exit] = outcomes.GetValueOrDefault(exit) + 1;
            var shown = string.Join(' ', args.Select(a => $"'{a}'"));
            Assert.True(exit is 0 or 2, $"{shown} exited {exit}: {error}");
            Assert.DoesNotContain("   at ", error.ToString());
            if (exit == 2)
            {
                Assert.StartsWith("error: ", error.ToString().Split('\n').Last(l => l.Length > 0).TrimStart());
            }
        }

        Assert.True(outcomes.GetValueOrDefault(2) > 1_000, string.Join(", ", outcomes));
    }

    /// <summary>The (sub)command an anchor names, from the same root the CLI builds.</summary>
    private static Command FindCommand(string[] anchor)
    {
        Command command = Program.BuildRoot();
        foreach (var word in anchor)
        {
            var next = command.Subcommands.FirstOrDefault(c => c.Name == word);
            if (next is null)
            {
                break;
            }

            command = next;
        }

        return command;
    }
}
