using SparseSearch.Bench.Synthetic;

namespace SparseSearch.Tests.Bench;

/// <summary>
/// The bench's synthetic corpus has the shape issue #5 asks for — Zipf-distributed terms, 100–250 distinct terms per
/// document, bounded skewed weights, 5–15 and 30–80 term queries — and is the same on every run of a seed.
/// </summary>
public class SyntheticCorpusTests
{
    [Fact]
    public void Zipf_sampler_draws_ranks_with_the_zipf_mandelbrot_probabilities()
    {
        const int size = 1_000;
        const double exponent = 1.0;
        const double offset = 10;
        const int draws = 2_000_000;
        var sampler = new ZipfSampler(size, exponent, offset);
        var counts = new int[size];
        var random = SplitMix64.For(7, 0);
        for (var i = 0; i < draws; i++)
        {
            counts[sampler.Sample(ref random)]++;
        }

        // Reference: the law itself, P(r) ∝ 1 / (r + 1 + offset)^exponent for 0-based rank r.
        var weights = Enumerable.Range(0, size).Select(r => 1 / Math.Pow(r + 1 + offset, exponent)).ToArray();
        var total = weights.Sum();
        var distance = 0.0;
        for (var r = 0; r < size; r++)
        {
            var expected = draws * weights[r] / total;
            distance += Math.Abs(counts[r] - expected) / draws / 2;
            Assert.True(Math.Abs(counts[r] - expected) < 5 * Math.Sqrt(expected) + 5, $"rank {r}: {counts[r]} draws, {expected:F0} expected");
        }

        Assert.True(distance < 0.01, $"total variation distance {distance:F4}");
    }

    [Fact]
    public void Documents_and_queries_have_the_specified_shape()
    {
        var spec = new SyntheticCorpusSpec { Documents = 300, Seed = 3 };
        var corpus = new SyntheticCorpus(spec);
        foreach (var document in corpus.Generate())
        {
            Assert.InRange(document.Terms.Length, spec.MinTermsPerDocument, spec.MaxTermsPerDocument);
            Assert.Equal(document.Terms.Order(), document.Terms);
            Assert.Equal(document.Terms.Length, document.Terms.Distinct().Count());
            Assert.All(document.Terms, t => Assert.InRange(t, 0, spec.VocabularySize - 1));
            Assert.All(document.Weights, w => Assert.InRange(w, 0.01f, 3.5f));
        }

        Assert.All(corpus.InferenceFreeQueries, q => Assert.InRange(q.Distinct().Count(), 5, 15));
        Assert.All(corpus.ExpandedQueries, q => Assert.InRange(q.Count, 30, 80));

        // Common terms are in most documents, rare ones in few: the head of the vocabulary dominates.
        var documentsWithTerm = new int[spec.VocabularySize];
        foreach (var term in corpus.Generate().SelectMany(d => d.Terms))
        {
            documentsWithTerm[term]++;
        }

        Assert.True(documentsWithTerm[0] > 0.5 * spec.Documents, $"commonest term in {documentsWithTerm[0]} of {spec.Documents} documents");
        Assert.True(documentsWithTerm[^1000..].Average() < 0.05 * spec.Documents);
    }

    [Fact]
    public void The_same_seed_gives_the_same_corpus_and_another_seed_a_different_one()
    {
        static string Render(SyntheticCorpus corpus) => string.Join('\n', corpus.Read().Select(d =>
            d.Id + ":" + string.Join(',', d.Vector.Weights.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value:R}"))));

        var spec = new SyntheticCorpusSpec { Documents = 5_000, Seed = 11 };
        var first = Render(new SyntheticCorpus(spec));
        Assert.Equal(first, Render(new SyntheticCorpus(spec)));
        Assert.NotEqual(first, Render(new SyntheticCorpus(spec with { Seed = 12 })));
        Assert.Equal(new SyntheticCorpus(spec).Fingerprint(), new SyntheticCorpus(spec).Fingerprint());
    }
}
