using SparseSearch.Core;

namespace SparseSearch.Tests.Index;

/// <summary>Seeded random sparse documents and queries for property tests of the impact index.</summary>
public sealed class RandomCorpus
{
    private readonly Random _random;
    private readonly string[] _vocabulary;

    public RandomCorpus(int seed, int vocabularySize)
    {
        _random = new Random(seed);
        // Include multi-byte terms so Lucene's UTF-8 term order is exercised, not only ASCII order.
        _vocabulary = Enumerable.Range(0, vocabularySize).Select(i => i % 7 == 0 ? $"é{i}" : i % 11 == 0 ? $"\U0001F600{i}" : $"t{i}").ToArray();
    }

    public SparseVector Vector(int minTerms, int maxTerms, float maxWeight)
    {
        var count = _random.Next(minTerms, maxTerms + 1);
        var weights = new Dictionary<string, float>();
        while (weights.Count < count)
        {
            // Squared uniform: many small weights, a few large ones, as learned models produce.
            var u = (float)_random.NextDouble();
            weights[_vocabulary[_random.Next(_vocabulary.Length)]] = maxWeight * u * u + 0.01f;
        }

        return new SparseVector(weights);
    }
}
