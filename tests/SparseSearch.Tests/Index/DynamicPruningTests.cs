using Lucene.Net.Search;
using SparseSearch.Bench.Synthetic;
using SparseSearch.Core;
using SparseSearch.Encoding;
using SparseSearch.Index;
using SparseSearch.Index.Impact;
using SparseSearch.Index.Impact.Codec;
using static SparseSearch.Tests.Index.ImpactTestData;
using SparseSearch.Index.Impact.TopK;

namespace SparseSearch.Tests.Index;

/// <summary>
/// Property tests of dynamic pruning: on random indexes (several segments, deletions, replaced ids, duplicate vectors
/// that tie) and random queries, block-max MaxScore returns exactly the exhaustive top k — the same Lucene doc numbers
/// and the same scores — and both agree with a brute-force dot product.
/// </summary>
public class DynamicPruningTests
{
    private const float Scale = 100f;

    public static TheoryData<int> Seeds => [1, 2, 3];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Pruned_top_k_equals_exhaustive_top_k_on_random_indexes(int seed)
    {
        using var directory = TestPaths.Temporary();
        var corpus = SmallCorpus(seed, documents: 6_000, vocabulary: 3_000, minTerms: 5, maxTerms: 60, queries: 40);
        var vectors = BuildWithUpdates(directory.Path, corpus, seed);
        using var searcher = ImpactIndexSearcher.Open(directory.Path, Manifest(Scale));
        Assert.True(searcher.SegmentCount > 1, "the property must cover several segments");

        var random = new Random(seed);
        var queries = corpus.ExpandedQueries.Concat(corpus.InferenceFreeQueries.Select(tokens =>
            new SparseVector(tokens.ToDictionary(t => t, _ => (float)(0.5 + (4 * random.NextDouble()))))));
        foreach (var query in queries)
        {
            foreach (var k in new[] { 1, 10, 100 })
            {
                var pruned = searcher.SearchTopDocs(query, k, TopKAlgorithm.BlockMaxScore);
                var exhaustive = searcher.SearchTopDocs(query, k, TopKAlgorithm.Exhaustive);
                Assert.Equal(Pairs(exhaustive), Pairs(pruned));
                AssertMatchesBruteForce(searcher, vectors, query, k, pruned);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Fine_block_bounds_are_never_below_a_documents_exact_score(int seed)
    {
        using var directory = TestPaths.Temporary();
        var corpus = SmallCorpus(seed, documents: 3_001, vocabulary: 2_000, minTerms: 3, maxTerms: 40, queries: 20);
        BuildWithUpdates(directory.Path, corpus, seed);
        using var searcher = ImpactIndexSearcher.Open(directory.Path, Manifest(Scale));
        var reader = searcher.Reader;
        var sawDense = false;
        var sawSparse = false;
        foreach (var leaf in reader.Leaves)
        {
            foreach (var query in corpus.ExpandedQueries)
            {
                var plan = QueryPlan.Create(query, searcher.MaxImpact, Scale);
                var maxima = plan.Terms.Select(t => BlockMaxima.Of(leaf, t)).ToArray();
                sawDense |= maxima.Any(m => m.Fine.Dense is not null);
                sawSparse |= maxima.Any(m => m.Step > 0 && m.Fine.Dense is null);
                var exact = ExactScores(leaf, plan);
                using var fine = FineBlockBounds.Compute(BlockMaxima.FineBlockCount(leaf.AtomicReader.MaxDoc), plan.Weights, maxima);
                for (var doc = 0; doc < exact.Length; doc++)
                {
                    Assert.True(exact[doc] <= fine[doc >> BlockMaxima.FineBits] * fine.Unit, $"bound below the score of doc {doc}");
                    var block = doc >> BlockMaxima.BlockBits;
                    Assert.True(fine[doc >> BlockMaxima.FineBits] <= fine.MaxInBlock(block));
                }
            }
        }

        Assert.True(sawDense && sawSparse, "both storage forms of fine maxima must be covered");
    }

    [Fact]
    public void Ties_are_broken_by_document_order_in_pruned_and_exhaustive_search_alike()
    {
        using var directory = TestPaths.Temporary();
        using (var writer = new ImpactIndexWriter(directory.Path, new ImpactQuantizer(Scale), storeText: false, batchSize: 700))
        {
            for (var i = 0; i < 5_000; i++)
            {
                // Every 7th document is the same strong vector: dozens of exact ties around the k-th place.
                var vector = i % 7 == 0 ? Vector(("a", 2f), ("b", 1f)) : Vector(("a", 0.01f * (i % 50)), ("c", 1f));
                writer.Add($"d{i}", "", "", vector);
            }

            writer.Commit();
        }

        using var searcher = ImpactIndexSearcher.Open(directory.Path, Manifest(Scale));
        var query = Vector(("a", 1.5f), ("b", 0.5f), ("c", 0.1f));
        var pruned = searcher.Search(query, 10, TopKAlgorithm.BlockMaxScore);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"d{i * 7}"), pruned.Select(h => h.DocId));
        Assert.Equal(searcher.Search(query, 10, TopKAlgorithm.Exhaustive), pruned);
    }

    [Fact]
    public void Queries_with_negative_weights_are_scored_exhaustively_and_exactly()
    {
        using var directory = TestPaths.Temporary();
        using (var writer = new ImpactIndexWriter(directory.Path, new ImpactQuantizer(Scale), storeText: false))
        {
            writer.Add("a", "", "", Vector(("x", 1f), ("y", 1f)));
            writer.Add("b", "", "", Vector(("x", 0.5f)));
            writer.Commit();
        }

        using var searcher = ImpactIndexSearcher.Open(directory.Path, Manifest(Scale));
        var hits = searcher.Search(Vector(("x", 1f), ("y", -2f)), 10);
        Assert.Equal(["b", "a"], hits.Select(h => h.DocId));
        Assert.Equal([0.5f, -1f], hits.Select(h => h.Score));
    }

    [Fact]
    public void Each_segment_carries_the_exact_maxima_of_its_own_postings_after_updates_deletes_and_merges()
    {
        using var directory = TestPaths.Temporary();
        var corpus = new SyntheticCorpus(new SyntheticCorpusSpec { Documents = 2_000, Seed = 9, VocabularySize = 500, MinTermsPerDocument = 5, MaxTermsPerDocument = 30 });
        BuildWithUpdates(directory.Path, corpus, 9);
        AssertSegmentBoundsExact(directory.Path, expectSegments: 2);

        // A merge writes its segment's bounds from the merged postings (deleted documents dropped).
        using (var writer = new ImpactIndexWriter(directory.Path, new ImpactQuantizer(Scale), storeText: false))
        {
            writer.ForceMerge();
            writer.Commit();
        }

        AssertSegmentBoundsExact(directory.Path, expectSegments: 1);
    }

    /// <summary>Reference: each term's largest frequency in each segment, scanned from the postings (deleted documents included, as the writer saw them).</summary>
    private static void AssertSegmentBoundsExact(string path, int expectSegments)
    {
        using var reader = Lucene.Net.Index.DirectoryReader.Open(Lucene.Net.Store.FSDirectory.Open(path));
        Assert.True(reader.Leaves.Count >= expectSegments);
        var checkedTerms = 0;
        foreach (var leaf in reader.Leaves)
        {
            var termsEnum = leaf.AtomicReader.GetTerms(IndexFields.Impacts)!.GetEnumerator();
            Lucene.Net.Index.DocsEnum? docs = null;
            while (termsEnum.MoveNext())
            {
                docs = termsEnum.Docs(null, docs, Lucene.Net.Index.DocsFlags.FREQS);
                var max = 0;
                while (docs.NextDoc() != DocIdSetIterator.NO_MORE_DOCS)
                {
                    max = Math.Max(max, docs.Freq);
                }

                Assert.Equal(max, SegmentBounds.MaxImpact(leaf.AtomicReader, termsEnum.Term));
                checkedTerms++;
            }

            Assert.Equal(0, SegmentBounds.MaxImpact(leaf.AtomicReader, new Lucene.Net.Util.BytesRef("no-such-term")));
        }

        Assert.True(checkedTerms > 400);
    }

    /// <summary>
    /// Extremes of the fixed-point arithmetic: impacts up to the largest the index accepts (2^24), scales from 1e-3 to
    /// 1e6, query weights spread over 24 orders of magnitude. Pruned must still equal exhaustive, and both the brute
    /// force dot product.
    /// </summary>
    [Theory]
    [InlineData(1f, 16_000_000f, 1)]
    [InlineData(1_000_000f, 16f, 2)]
    [InlineData(0.001f, 1.6e10f, 3)]
    [InlineData(100f, 160_000f, 4)]
    public void Pruned_top_k_equals_exhaustive_with_extreme_weights_and_scales(float scale, float maxWeight, int seed)
    {
        using var directory = TestPaths.Temporary();
        var random = new Random(seed);
        var quantizer = new ImpactQuantizer(scale);
        var vectors = new Dictionary<string, SparseVector>();
        using (var writer = new ImpactIndexWriter(directory.Path, quantizer, storeText: false, batchSize: 900))
        {
            for (var i = 0; i < 3_000; i++)
            {
                // Log-uniform weights: most small, a few near the largest impact the index accepts.
                var weights = Enumerable.Range(0, 1 + random.Next(12)).Select(_ => $"t{random.Next(60)}").Distinct()
                    .ToDictionary(t => t, _ => (float)(maxWeight * Math.Pow(10, -6 * random.NextDouble())));
                var vector = new SparseVector(weights);
                writer.Add($"d{i}", "", "", vector);
                vectors[$"d{i}"] = Dequantize(quantizer, vector);
            }

            writer.Commit();
        }

        using var searcher = ImpactIndexSearcher.Open(directory.Path, Manifest(scale));
        for (var q = 0; q < 60; q++)
        {
            var query = new SparseVector(Enumerable.Range(0, 1 + random.Next(20)).Select(_ => $"t{random.Next(60)}").Distinct()
                .ToDictionary(t => t, _ => (float)Math.Pow(10, -12 + (24 * random.NextDouble()))));
            foreach (var k in new[] { 1, 10 })
            {
                var pruned = searcher.SearchTopDocs(query, k, TopKAlgorithm.BlockMaxScore);
                Assert.Equal(Pairs(searcher.SearchTopDocs(query, k, TopKAlgorithm.Exhaustive)), Pairs(pruned));
                // Scores are fixed point with a step set by the query's largest possible score (QueryPlan): against
                // the brute force they agree to 1e-5 relative plus that resolution (bounded by 1e-10 of the largest).
                var largest = query.Weights.Sum(w => w.Value * (double)searcher.MaxImpact(w.Key)) / scale;
                var expected = vectors.Values.Select(v => v.Dot(query)).Where(s => s != 0).OrderDescending().Take(k).ToArray();
                Assert.Equal(expected.Length, pruned.ScoreDocs.Length);
                for (var i = 0; i < expected.Length; i++)
                {
                    Assert.True(Math.Abs(pruned.ScoreDocs[i].Score - expected[i]) <= (1e-5 * expected[i]) + (1e-9 * largest), $"rank {i}: {pruned.ScoreDocs[i].Score} vs {expected[i]}");
                }
            }
        }
    }

    [Fact]
    public void A_weight_whose_impact_exceeds_the_largest_accepted_is_refused_not_clamped()
    {
        var quantizer = new ImpactQuantizer(1f);
        Assert.Equal(ImpactQuantizer.MaxImpact, quantizer.Quantize(ImpactQuantizer.MaxImpact));
        var error = Assert.Throws<ImpactOutOfRangeException>(() => quantizer.Quantize(Vector(("big", 3e9f))));
        Assert.Contains("'big'", error.Message);
        Assert.Contains("--scale", error.Message);
    }

    /// <summary>Writes the corpus in small batches, then replaces and deletes some ids; returns the live vectors by id.</summary>
    private static Dictionary<string, SparseVector> BuildWithUpdates(string path, SyntheticCorpus corpus, int seed)
    {
        var random = new Random(seed);
        var quantizer = new ImpactQuantizer(Scale);
        var live = new Dictionary<string, SparseVector>();
        using var writer = new ImpactIndexWriter(path, quantizer, storeText: false, batchSize: 1_000);
        foreach (var document in corpus.Read())
        {
            writer.Add(document.Id, "", "", document.Vector);
            live[document.Id] = document.Vector;
        }

        writer.Commit();
        var ids = live.Keys.ToArray();
        for (var i = 0; i < ids.Length / 20; i++)
        {
            var id = ids[random.Next(ids.Length)];
            if (random.Next(2) == 0)
            {
                writer.Delete(id);
                live.Remove(id);
            }
            else
            {
                var replacement = corpus.Read().ElementAt(random.Next(100)).Vector;
                writer.Add(id, "", "", replacement);
                live[id] = replacement;
            }
        }

        writer.Commit();
        return live.ToDictionary(e => e.Key, e => Dequantize(quantizer, e.Value));
    }

    private static void AssertMatchesBruteForce(ImpactIndexSearcher searcher, Dictionary<string, SparseVector> vectors, SparseVector query, int k, TopDocs top)
    {
        var expected = vectors.Values.Select(v => v.Dot(query)).Where(s => s != 0).OrderDescending().Take(k).ToArray();
        var hits = searcher.Search(query, k);
        Assert.Equal(expected.Length, top.ScoreDocs.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(top.ScoreDocs[i].Score - expected[i]) <= 1e-5 * Math.Abs(expected[i]), $"rank {i}: {top.ScoreDocs[i].Score} vs {expected[i]}");
            Assert.True(Math.Abs(vectors[hits[i].DocId].Dot(query) - hits[i].Score) <= 1e-5 * Math.Abs(expected[i]));
        }
    }

    /// <summary>A small synthetic corpus with a flat Zipf head, so many terms are common enough to prune.</summary>
    private static SyntheticCorpus SmallCorpus(int seed, int documents, int vocabulary, int minTerms, int maxTerms, int queries) => new(new SyntheticCorpusSpec
    {
        Documents = documents,
        Seed = seed,
        VocabularySize = vocabulary,
        MinTermsPerDocument = minTerms,
        MaxTermsPerDocument = maxTerms,
        ZipfOffset = 2,
        InferenceFreeQueries = queries,
        ExpandedQueries = queries,
    });

    /// <summary>Every document's fixed-point score, summed straight from the postings.</summary>
    private static long[] ExactScores(Lucene.Net.Index.AtomicReaderContext leaf, QueryPlan plan)
    {
        var scores = new long[leaf.AtomicReader.MaxDoc];
        var postings = LeafPostings.Open(leaf, plan);
        for (var i = 0; i < plan.Count; i++)
        {
            var docs = postings[i];
            int doc;
            while (docs is not null && (doc = docs.NextDoc()) != LeafPostings.NoMoreDocs)
            {
                scores[doc] += plan.Weights[i] * docs.Freq;
            }
        }

        return scores;
    }

    private static (int, float)[] Pairs(TopDocs top) => top.ScoreDocs.Select(d => (d.Doc, d.Score)).ToArray();
}
