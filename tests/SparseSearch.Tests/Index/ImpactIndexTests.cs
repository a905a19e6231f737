using SparseSearch.Core;
using SparseSearch.Encoding;
using SparseSearch.Index;
using SparseSearch.Index.Impact;
using static SparseSearch.Tests.Index.ImpactTestData;

namespace SparseSearch.Tests.Index;

/// <summary>Reference: a brute-force dot product of the query with every dequantized document vector.</summary>
public class ImpactIndexTests
{
    private const float Scale = 100f;

    [Fact]
    public void Lucene_scores_equal_the_brute_force_dot_product_on_a_random_corpus()
    {
        using var directory = TestPaths.Temporary();
        var corpus = new RandomCorpus(seed: 7, vocabularySize: 400);
        var quantizer = new ImpactQuantizer(Scale);
        var documents = Enumerable.Range(0, 600).Select(i => ($"doc{i}", corpus.Vector(5, 60, 3f))).ToArray();
        // Small batches: several segments are merged, as in a real build.
        using (var writer = new ImpactIndexWriter(directory.Path, quantizer, storeText: false, batchSize: 128))
        {
            foreach (var (id, vector) in documents)
            {
                writer.Add(id, "", "", vector);
            }

            writer.Commit();
        }

        var dequantized = documents.ToDictionary(d => d.Item1, d => Dequantize(quantizer, d.Item2));
        using var searcher = ImpactIndexSearcher.Open(directory.Path, Manifest(Scale));
        for (var q = 0; q < 40; q++)
        {
            var query = corpus.Vector(1, q % 2 == 0 ? 12 : 80, 2f);
            var expected = dequantized
                .Select(d => (Id: d.Key, Score: d.Value.Dot(query)))
                .Where(d => d.Score > 0)
                .ToDictionary(d => d.Id, d => d.Score);
            var hits = searcher.Search(query, documents.Length);
            Assert.Equal(expected.Count, hits.Count);
            foreach (var hit in hits)
            {
                Assert.True(Math.Abs(hit.Score - expected[hit.DocId]) <= 1e-5 * expected[hit.DocId],
                    $"{hit.DocId}: Lucene {hit.Score}, dot product {expected[hit.DocId]}");
            }
        }
    }

    [Fact]
    public void A_re_added_id_replaces_the_earlier_document_across_batches_and_within_one()
    {
        using var directory = TestPaths.Temporary();
        var quantizer = new ImpactQuantizer(Scale);
        using (var writer = new ImpactIndexWriter(directory.Path, quantizer, batchSize: 2))
        {
            writer.Add("a", "", "", Vector(("x", 1f)));
            writer.Add("b", "", "", Vector(("x", 2f)));
            writer.Add("a", "", "", Vector(("x", 3f))); // next batch: replaces the committed "a"
            writer.Add("c", "", "", Vector(("y", 1f)));
            writer.Add("c", "", "", Vector(("x", 4f))); // same batch: replaces the pending "c"
            writer.Commit();
        }

        using var searcher = ImpactIndexSearcher.Open(directory.Path, Manifest(Scale));
        var hits = searcher.Search(Vector(("x", 1f), ("y", 1f)), 10);
        Assert.Equal(["c", "a", "b"], hits.Select(h => h.DocId));
        Assert.Equal([4f, 3f, 2f], hits.Select(h => h.Score));
        Assert.Equal(3, searcher.LiveDocumentCount);
    }

    [Fact]
    public void The_index_stores_impacts_as_term_frequencies_that_lucene_reads_back()
    {
        using var directory = TestPaths.Temporary();
        using (var writer = new ImpactIndexWriter(directory.Path, new ImpactQuantizer(Scale)))
        {
            writer.Add("a", "t", "x", Vector(("x", 1.234f), ("y", 0.5f)));
            writer.Commit();
        }

        using var reader = Lucene.Net.Index.DirectoryReader.Open(Lucene.Net.Store.FSDirectory.Open(directory.Path));
        var docs = Lucene.Net.Index.MultiFields.GetTermDocsEnum(reader, null, IndexFields.Impacts, new Lucene.Net.Util.BytesRef("x"));
        Assert.NotEqual(Lucene.Net.Search.DocIdSetIterator.NO_MORE_DOCS, docs.NextDoc());
        Assert.Equal(123, docs.Freq);
        Assert.Equal(1, reader.DocFreq(new Lucene.Net.Index.Term(IndexFields.Impacts, "y")));
        Assert.Equal("t", reader.Document(0).Get(IndexFields.Title));
    }
}
