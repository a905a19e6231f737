using SparseSearch.Encoding;
using SparseSearch.Evaluation;
using SparseSearch.Evaluation.Beir;
using SparseSearch.Evaluation.Metrics;
using SparseSearch.Index;

namespace SparseSearch.Tests.Evaluation;

/// <summary>
/// BEIR drops a hit whose id equals the query's only where the queries are the collection's own documents. Reference:
/// hand-built collections where the answer is known: in one each query is the text of its namesake document (ArguAna's
/// shape), in the other ids merely share a numbering and the namesake document is the relevant one (CISI 34/34).
/// </summary>
public class SelfHitTests
{
    [Fact]
    public void Queries_that_are_the_collections_documents_lose_their_self_hits()
    {
        using var directory = TestPaths.Temporary();
        var result = Evaluate(directory, queriesAreDocuments: true, SelfHitPolicy.Auto);
        Assert.True(result.SelfHitsRemoved);
        Assert.Equal(2, result.SelfHitCount);
        Assert.All(result.Run, e => Assert.DoesNotContain(e.Value, h => h.DocId == e.Key));
    }

    [Fact]
    public void Ids_that_merely_share_a_numbering_keep_their_relevant_namesake_document()
    {
        using var directory = TestPaths.Temporary();
        var result = Evaluate(directory, queriesAreDocuments: false, SelfHitPolicy.Auto);
        Assert.False(result.SelfHitsRemoved);
        // Query 1's only relevant document is document 1, ranked first: nDCG@10 = 1 for both queries.
        Assert.Equal(1d, result.Metrics.Means[QueryMetrics.Ndcg10], 12);

        var forced = Evaluate(directory, queriesAreDocuments: false, SelfHitPolicy.Remove);
        Assert.True(forced.SelfHitsRemoved);
        Assert.Equal(0d, forced.Metrics.Means[QueryMetrics.Ndcg10], 12);
    }

    private static EvaluationResult Evaluate(TemporaryDirectory directory, bool queriesAreDocuments, SelfHitPolicy policy)
    {
        var root = directory.Combine(queriesAreDocuments ? "self" : "numbered");
        if (!Directory.Exists(root))
        {
            Directory.CreateDirectory(Path.Combine(root, "qrels"));
            File.WriteAllLines(Path.Combine(root, "corpus.jsonl"),
            [
                """{"_id":"1","text":"zebras graze on open savanna grass"}""",
                """{"_id":"2","text":"penguins dive for fish under antarctic ice"}""",
                """{"_id":"3","text":"zebras and penguins rarely meet"}""",
            ]);
            File.WriteAllLines(Path.Combine(root, "queries.jsonl"), queriesAreDocuments
                ? ["""{"_id":"1","text":"zebras graze on open savanna grass"}""", """{"_id":"2","text":"penguins dive for fish under antarctic ice"}"""]
                : ["""{"_id":"1","text":"savanna grass"}""", """{"_id":"2","text":"antarctic ice"}"""]);
            File.WriteAllLines(Path.Combine(root, "qrels", "test.tsv"), queriesAreDocuments
                ? ["query-id\tcorpus-id\tscore", "1\t3\t1", "2\t3\t1"]
                : ["query-id\tcorpus-id\tscore", "1\t1\t1", "2\t2\t1"]);
        }

        var dataset = BeirDataset.Open(root);
        var encoder = EncoderCatalog.Resolve("bm25", new EncoderOptions());
        var index = Path.Combine(root, "index");
        IndexBuilder.EnsureBuilt(new BeirCorpus(dataset.CorpusPath), encoder, index, new IndexBuildOptions { QuantizationScale = 1000 });
        using var engine = SearchEngines.Open(index, "bm25", new EncoderOptions());
        return EvaluationRunner.Run(engine, dataset, new EvaluationOptions { SelfHits = policy });
    }
}
