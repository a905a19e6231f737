using SparseSearch.Encoding;
using SparseSearch.Evaluation;
using SparseSearch.Evaluation.Beir;
using SparseSearch.Evaluation.Runs;
using SparseSearch.Index;

namespace SparseSearch.Tests.Regression;

/// <summary>Same input, same command, same bytes: two independent builds of Lucene's BM25 index of CACM give identical run files.</summary>
[Trait("Category", "Regression")]
public class RepeatableRunTests
{
    [Fact]
    public void Two_lucene_bm25_builds_of_cacm_write_byte_identical_runs()
    {
        using var directory = TestPaths.Temporary();
        var dataset = BeirDataset.Open(TestPaths.Dataset("cacm"));
        var runs = new List<byte[]>();
        foreach (var build in new[] { "a", "b" })
        {
            var encoder = EncoderCatalog.Resolve("lucene-bm25", new EncoderOptions());
            var index = directory.Combine(build);
            IndexBuilder.Build(new BeirCorpus(dataset.CorpusPath), encoder, index, new IndexBuildOptions { BatchSize = 500, EncodeChunkSize = 97 });
            using var engine = SearchEngines.Open(index, "lucene-bm25", new EncoderOptions());
            var result = EvaluationRunner.Run(engine, dataset, new EvaluationOptions());
            var run = directory.Combine(build + ".trec");
            TrecRunFile.Write(run, result.Run, "t");
            runs.Add(File.ReadAllBytes(run));
        }

        Assert.True(runs[0].Length > 10_000);
        Assert.Equal(runs[0], runs[1]);
    }
}
