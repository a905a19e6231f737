using System.Text.Json;

namespace SparseSearch.Tests.Cli;

/// <summary>The <c>sparse</c> command end to end, in process, with its output captured.</summary>
public class CliTests
{
    private static Task<(int Exit, string Output, string Error)> Sparse(params string[] args) => SparseCli.Run(args);

    [Fact]
    public async Task Eval_prints_one_json_object_with_the_documented_keys()
    {
        using var directory = TestPaths.Temporary();
        var args = new[] { "eval", "--dataset", "demo", "--data-dir", directory.Combine("data"), "--index", directory.Combine("idx"), "--run", directory.Combine("run.trec"), "--output", "json" };
        var (exit, output, error) = await Sparse(args);
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var metrics = json.RootElement.GetProperty("metrics");
        foreach (var key in new[] { "nDCG@10", "MAP", "P@30", "R@100", "R@1000", "MRR@10" })
        {
            Assert.InRange(metrics.GetProperty(key).GetDouble(), 0, 1);
        }

        Assert.Equal(9, json.RootElement.GetProperty("queries").GetInt32());
        Assert.Equal(30, json.RootElement.GetProperty("documents").GetInt32());
        Assert.False(json.RootElement.GetProperty("index_reused").GetBoolean());
        Assert.True(json.RootElement.GetProperty("metrics").GetProperty("nDCG@10").GetDouble() > 0.7, "BM25 should find the demo's relevant documents");
        Assert.True(File.Exists(directory.Combine("run.trec")));

        var again = await Sparse(args);
        using var second = JsonDocument.Parse(again.Output);
        Assert.True(second.RootElement.GetProperty("index_reused").GetBoolean());
    }

    [Fact]
    public async Task Index_then_search_returns_the_expected_document()
    {
        using var directory = TestPaths.Temporary();
        var index = directory.Combine("idx");
        var built = await Sparse("index", "--dataset", "demo", "--data-dir", directory.Combine("data"), "--encoder", "bm25", "--index", index);
        Assert.True(built.Exit == 0, built.Error);
        var (exit, output, error) = await Sparse("search", "--index", index, "sourdough starter yeast", "--output", "json", "--k", "3");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("d22", json.RootElement.GetProperty("hits")[0].GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("unknown encoder 'splade-nope'", "eval", "--encoder", "splade-nope")]
    [InlineData("dataset directory not found", "eval", "--dataset", "/nonexistent/dir")]
    [InlineData("index not found", "search", "--index", "/nonexistent/index", "query")]
    [InlineData("needs --vocab", "index", "--dataset", "demo", "--encoder", "bm25-wp")]
    public async Task Bad_input_is_one_clear_error_line_and_a_non_zero_exit(string expected, params string[] args)
    {
        using var directory = TestPaths.Temporary();
        string[] withCache = args[0] == "search" ? args : [.. args, "--data-dir", directory.Path];
        var (exit, _, error) = await Sparse(withCache);
        Assert.Equal(2, exit);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("   at ", error); // no stack trace
    }

    [Fact]
    public async Task Malformed_corpus_line_is_reported_by_number()
    {
        using var directory = TestPaths.Temporary();
        var dataset = directory.Combine("bad");
        Directory.CreateDirectory(Path.Combine(dataset, "qrels"));
        File.WriteAllText(Path.Combine(dataset, "corpus.jsonl"), "{\"_id\":\"1\",\"text\":\"a\"}\n{oops\n");
        File.WriteAllText(Path.Combine(dataset, "queries.jsonl"), "{\"_id\":\"q\",\"text\":\"a\"}\n");
        File.WriteAllText(Path.Combine(dataset, "qrels", "test.tsv"), "q\t1\t1\n");
        var (exit, _, error) = await Sparse("eval", "--dataset", dataset, "--index", directory.Combine("idx"));
        Assert.Equal(2, exit);
        Assert.Contains("corpus.jsonl line 2: malformed JSON", error);
        Assert.False(Directory.Exists(directory.Combine("idx")), "no half-written index may be left behind");
    }
}
