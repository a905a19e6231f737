using SparseSearch.Encoding.Bm25;
using SparseSearch.Evaluation;
using SparseSearch.Evaluation.Metrics;

namespace SparseSearch.Tests.Regression;

/// <summary>
/// References: Anserini's published regressions for ../shared/datasets (see its SOURCES.md) and Lucene.Net's own
/// BM25Similarity ranking of the same documents.
/// </summary>
[Trait("Category", "Regression")]
public sealed class AnseriniRegressionTests(CollectionRuns runs) : IClassFixture<CollectionRuns>
{
    /// <summary>Both Lucene's own BM25 and the impact path with exact lengths must land on the published figures.</summary>
    [Theory]
    [MemberData(nameof(PublishedFigures))]
    public void Bm25_reproduces_anserini(string encoder, string collection, string metric, double published) =>
        AssertWithin(published, runs.Get(collection, encoder).Metrics.Means[metric], 0.005, $"{collection} {encoder} {metric}");

    public static TheoryData<string, string, string, double> PublishedFigures()
    {
        var data = new TheoryData<string, string, string, double>();
        foreach (var encoder in new[] { "lucene-bm25", "bm25" })
        {
            data.Add(encoder, "cacm", QueryMetrics.Map, 0.3123);
            data.Add(encoder, "cacm", QueryMetrics.P30, 0.1942);
            data.Add(encoder, "scifact", QueryMetrics.Ndcg10, 0.6789);
            data.Add(encoder, "scifact", QueryMetrics.Recall100, 0.9253);
        }

        return data;
    }

    [Theory]
    [InlineData("cacm")]
    [InlineData("scifact")]
    public void Bm25_impacts_agree_with_lucene_bm25_on_every_metric(string collection)
    {
        var lucene = runs.Get(collection, "lucene-bm25").Metrics.Means;
        var impacts = runs.Get(collection, "bm25", LengthNorm.Lucene48).Metrics.Means;
        foreach (var metric in QueryMetrics.Names)
        {
            AssertWithin(lucene[metric], impacts[metric], 0.003, $"{collection} {metric}");
        }
    }

    [Theory]
    [InlineData("cacm")]
    [InlineData("scifact")]
    public void Bm25_impacts_reproduce_lucene_bm25_top_10_for_at_least_95_percent_of_queries(string collection)
    {
        var lucene = runs.Get(collection, "lucene-bm25");
        var impacts = runs.Get(collection, "bm25", LengthNorm.Lucene48);
        var identical = lucene.Run.Keys.Count(q => Top10(lucene, q).SequenceEqual(Top10(impacts, q)));
        Assert.True(identical >= 0.95 * lucene.Run.Count, $"{collection}: {identical}/{lucene.Run.Count} queries have identical top-10");
    }

    [Fact]
    public void Bm25_wordpiece_reproduces_anserini_flat_wp_on_scifact() =>
        AssertWithin(0.6718, runs.Get("scifact", "bm25-wp").Metrics.Means[QueryMetrics.Ndcg10], 0.01, "scifact bm25-wp nDCG@10");

    [Fact]
    public void Every_judged_query_is_run()
    {
        Assert.Equal(52, runs.Get("cacm", "bm25").QueriesRun);
        Assert.Equal(300, runs.Get("scifact", "bm25").QueriesRun);
    }

    private static IEnumerable<string> Top10(EvaluationResult result, string query) =>
        RankedList.TrecOrder(result.Run.GetValueOrDefault(query) ?? []).Take(10).Select(h => h.DocId);

    private static void AssertWithin(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: {actual:F4}, expected {expected:F4} ± {tolerance}");
}
