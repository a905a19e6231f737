using System.IO.Compression;
using System.Text.Json;

namespace SparseSearch.Tests.Cli;

/// <summary>
/// <c>search --topics</c>, <c>fuse</c> and <c>trec-eval</c> through the CLI. References: the run <c>eval</c> writes for the
/// same index and queries (byte for byte), and <c>eval</c>'s own measures of that run.
/// </summary>
public class BatchSearchCliTests
{
    private static Task<(int Exit, string Output, string Error)> Sparse(params string[] args) => SparseCli.Run(args);

    [Theory]
    [InlineData("queries.tsv")]
    [InlineData("queries.tsv.gz")]
    [InlineData("queries.jsonl")]
    public async Task A_topics_run_equals_the_run_eval_writes_byte_for_byte(string topicsName)
    {
        using var directory = TestPaths.Temporary();
        var cacm = TestPaths.Dataset("cacm");
        var index = directory.Combine("cacm-bm25");
        var evalRun = directory.Combine("eval.trec");
        var eval = await Sparse("eval", "--dataset", cacm, "--index", index, "--run", evalRun, "--output", "json");
        Assert.True(eval.Exit == 0, eval.Error);

        // The judged queries eval ran, written in the requested format.
        var judged = File.ReadLines(Path.Combine(cacm, "qrels", "test.tsv")).Select(l => l.Split('\t')[0]).ToHashSet();
        var queries = File.ReadLines(Path.Combine(cacm, "queries.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(q => (Id: q.GetProperty("_id").GetString()!, Text: q.GetProperty("text").GetString()!)).Where(q => judged.Contains(q.Id)).ToArray();
        var topics = directory.Combine(topicsName);
        var lines = topicsName.Contains(".jsonl")
            ? queries.Select(q => JsonSerializer.Serialize(new Dictionary<string, string> { ["_id"] = q.Id, ["text"] = q.Text }))
            : queries.Select(q => $"{q.Id}\t{q.Text.Replace('\t', ' ').Replace('\n', ' ')}");
        await using (var stream = topicsName.EndsWith(".gz") ? (Stream)new GZipStream(File.Create(topics), CompressionLevel.Fastest) : File.Create(topics))
        await using (var writer = new StreamWriter(stream))
        {
            foreach (var line in lines)
            {
                await writer.WriteLineAsync(line);
            }
        }

        var searchRun = directory.Combine("search.trec");
        var search = await Sparse("search", "--index", index, "--topics", topics, "--hits", "1000", "--output", "trec", "--run", searchRun);
        Assert.True(search.Exit == 0, search.Error);
        Assert.Equal(await File.ReadAllBytesAsync(evalRun), await File.ReadAllBytesAsync(searchRun));

        // trec-eval of that run gives eval's figures.
        var measured = await Sparse("trec-eval", "--qrels", cacm, "--run", searchRun, "--output", "json");
        Assert.True(measured.Exit == 0, measured.Error);
        var expected = JsonDocument.Parse(eval.Output).RootElement.GetProperty("metrics");
        var actual = JsonDocument.Parse(measured.Output).RootElement.GetProperty("metrics");
        Assert.Equal(expected.GetProperty("MAP").GetDouble(), actual.GetProperty("MAP").GetDouble());
        Assert.Equal(expected.GetProperty("nDCG@10").GetDouble(), actual.GetProperty("nDCG@10").GetDouble());
    }

    [Fact]
    public async Task One_query_with_explain_lists_contributions_that_add_up_to_the_score()
    {
        using var directory = TestPaths.Temporary();
        var index = directory.Combine("idx");
        Assert.Equal(0, (await Sparse("index", "--dataset", "demo", "--data-dir", directory.Combine("data"), "--index", index)).Exit);
        var (exit, output, error) = await Sparse("search", "--index", index, "wild yeast bread", "--explain", "--output", "json", "--k", "3");
        Assert.True(exit == 0, error);
        var first = JsonDocument.Parse(output).RootElement.GetProperty("hits")[0];
        Assert.Equal("d22", first.GetProperty("id").GetString());
        Assert.Equal("Sourdough bread", first.GetProperty("title").GetString());
        Assert.Contains("wild", first.GetProperty("snippet").GetString());
        var sum = first.GetProperty("matches").EnumerateArray().Sum(m => m.GetProperty("contribution").GetDouble());
        Assert.Equal(first.GetProperty("score").GetDouble(), sum, 4);

        var table = await Sparse("search", "--index", index, "wild yeast bread", "--k", "1");
        Assert.Contains("Sourdough bread", table.Output);
    }

    [Fact]
    public async Task Fuse_writes_a_run_and_refuses_to_average_raw_scores_silently()
    {
        using var directory = TestPaths.Temporary();
        var a = directory.Combine("a.trec");
        var b = directory.Combine("b.trec");
        await File.WriteAllLinesAsync(a, ["q1 Q0 d1 1 3 a", "q1 Q0 d2 2 2 a", "q1 Q0 d3 3 1 a"]);
        await File.WriteAllLinesAsync(b, ["q1 Q0 d3 1 10 b", "q1 Q0 d4 2 5 b"]);
        var fused = directory.Combine("fused.trec");
        var rrf = await Sparse("fuse", "--runs", a, b, "--output", fused);
        Assert.True(rrf.Exit == 0, rrf.Error);
        Assert.Equal(["d3", "d1", "d4", "d2"], File.ReadLines(fused).Select(l => l.Split(' ')[2]));

        var refused = await Sparse("fuse", "--runs", a, b, "--method", "average", "--output", fused);
        Assert.Equal(2, refused.Exit);
        Assert.Contains("--min-max-normalization", refused.Error);
        Assert.Equal(0, (await Sparse("fuse", "--runs", a, b, "--method", "interpolation", "--alpha", "0.7", "--min-max-normalization", "--output", fused)).Exit);
        Assert.Equal(["d1", "d2", "d3", "d4"], File.ReadLines(fused).Select(l => l.Split(' ')[2]));
    }
}
