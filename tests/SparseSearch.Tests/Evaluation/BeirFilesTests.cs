using SparseSearch.Core;
using SparseSearch.Evaluation.Beir;
using SparseSearch.Evaluation.Runs;

namespace SparseSearch.Tests.Evaluation;

public class BeirFilesTests
{
    [Fact]
    public void Malformed_corpus_line_is_reported_with_file_and_line_number()
    {
        using var directory = TestPaths.Temporary();
        var path = directory.Combine("corpus.jsonl");
        File.WriteAllLines(path, ["{\"_id\":\"1\",\"text\":\"ok\"}", "", "{\"_id\":\"2\",\"text\":\"broken"]);
        var error = Assert.Throws<InvalidCorpusException>(() => new BeirCorpus(path).Read().ToList());
        Assert.Contains("corpus.jsonl line 3", error.Message);
    }

    [Theory]
    [InlineData("{\"title\":\"no id\"}", "missing \"_id\"")]
    [InlineData("{\"_id\":\"\"}", "empty \"_id\"")]
    [InlineData("[1,2]", "expected a JSON object")]
    [InlineData("{\"_id\":\"x\",\"text\":{\"nested\":1}}", "\"text\" must be a string")]
    public void Invalid_corpus_records_are_clear_errors(string line, string expected)
    {
        using var directory = TestPaths.Temporary();
        var path = directory.Combine("corpus.jsonl");
        File.WriteAllText(path, line + "\n");
        var error = Assert.Throws<InvalidCorpusException>(() => new BeirCorpus(path).Read().ToList());
        Assert.Contains(expected, error.Message);
        Assert.Contains("line 1", error.Message);
    }

    [Fact]
    public void Numeric_ids_are_read_as_text()
    {
        using var directory = TestPaths.Temporary();
        var path = directory.Combine("corpus.jsonl");
        File.WriteAllText(path, "{\"_id\":4983,\"title\":\"T\",\"text\":\"body\"}\n");
        Assert.Equal(new CorpusDocument("4983", "T", "body"), new BeirCorpus(path).Read().Single());
    }

    [Fact]
    public void Qrels_read_beir_tsv_with_header_and_trec_format()
    {
        using var directory = TestPaths.Temporary();
        var beir = directory.Combine("test.tsv");
        File.WriteAllLines(beir, ["query-id\tcorpus-id\tscore", "q1\tCACM-756\t1", "q1\td2\t2"]);
        var trec = directory.Combine("qrels.txt");
        File.WriteAllLines(trec, ["q1 0 d2 2", "q2 0 d3 0"]);

        Assert.Equal(2, Qrels.Load(beir).For("q1")["d2"]);
        Assert.Equal(1, Qrels.Load(beir).For("q1")["CACM-756"]); // ids absent from any corpus are kept
        Assert.Equal(0, Qrels.Load(trec).For("q2")["d3"]);
    }

    [Fact]
    public void Cacm_loads_with_its_published_counts()
    {
        var dataset = BeirDataset.Open(TestPaths.Dataset("cacm"));
        var qrels = Qrels.Load(dataset.QrelsPath);
        Assert.Equal(3204, new BeirCorpus(dataset.CorpusPath).Read().Count());
        Assert.Equal(64, BeirQueries.Load(dataset.QueriesPath).Count);
        Assert.Equal((52, 796), (qrels.QueryIds.Count, qrels.JudgementCount));
    }

    [Fact]
    public void Run_files_round_trip_in_trec_order()
    {
        using var directory = TestPaths.Temporary();
        var path = directory.Combine("run.trec");
        TrecRunFile.Write(path, new Dictionary<string, IReadOnlyList<Hit>> { ["q1"] = [new Hit("a", 1f), new Hit("b", 2.5f), new Hit("c", 1f)] }, "tag");
        Assert.Equal(["q1 Q0 b 1 2.5 tag", "q1 Q0 c 2 1 tag", "q1 Q0 a 3 1 tag"], File.ReadAllLines(path));
        Assert.Equal(["b", "c", "a"], TrecRunFile.Read(path)["q1"].Select(h => h.DocId));
    }

    [Fact]
    public void Missing_dataset_parts_name_the_missing_file()
    {
        using var directory = TestPaths.Temporary();
        File.WriteAllText(directory.Combine("corpus.jsonl"), "");
        File.WriteAllText(directory.Combine("queries.jsonl"), "");
        var error = Assert.Throws<MissingInputException>(() => BeirDataset.Open(directory.Path));
        Assert.Contains("qrels/test.tsv", error.Message);
    }
}
