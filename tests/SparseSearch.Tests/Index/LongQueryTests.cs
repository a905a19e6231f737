using SparseSearch.Encoding;
using SparseSearch.Evaluation.Beir;
using SparseSearch.Index;

namespace SparseSearch.Tests.Index;

/// <summary>
/// A whole document as the query (ArguAna-style) has more than Lucene's default 1,024 distinct terms: both Lucene's
/// BM25 and the impact index must answer it, and rank the document that contains all those words first.
/// </summary>
public class LongQueryTests
{
    [Theory]
    [InlineData("lucene-bm25")]
    [InlineData("bm25")]
    public void A_query_of_two_thousand_distinct_terms_is_answered(string encoder)
    {
        using var directory = TestPaths.Temporary();
        var words = Enumerable.Range(0, 2_000).Select(i => $"w{i:x}q").ToArray();
        var corpus = directory.Combine("corpus.jsonl");
        File.WriteAllLines(corpus,
        [
            $$"""{"_id":"long","text":"{{string.Join(' ', words)}}"}""",
            """{"_id":"short","text":"w0q w1q w2q"}""",
        ]);
        var definition = EncoderCatalog.Resolve(encoder, new EncoderOptions());
        var index = directory.Combine("index");
        IndexBuilder.Build(new BeirCorpus(corpus), definition, index, new IndexBuildOptions { QuantizationScale = definition.DefaultQuantizationScale });
        using var engine = SearchEngines.Open(index, encoder, new EncoderOptions());
        var hits = engine.Search(string.Join(' ', words), 10);
        Assert.Equal(["long", "short"], hits.Select(h => h.DocId));
    }
}
