namespace SparseSearch.Core;

/// <summary>
/// A sparse vector over string terms (vocabulary tokens, stemmed words or latent dimensions such as <c>c17</c>):
/// the one representation documents and queries share, whatever encoder produced them.
/// </summary>
public sealed class SparseVector
{
    private readonly Dictionary<string, float> _weights;

    public SparseVector(IReadOnlyDictionary<string, float> weights)
    {
        _weights = new Dictionary<string, float>(weights.Count, StringComparer.Ordinal);
        foreach (var (term, weight) in weights)
        {
            if (Nonzero(term, weight))
            {
                _weights[term] = weight;
            }
        }
    }

    /// <summary>From parallel arrays of distinct terms and their weights, without an intermediate dictionary.</summary>
    public SparseVector(ReadOnlySpan<string> terms, ReadOnlySpan<float> weights)
    {
        if (terms.Length != weights.Length)
        {
            throw new ArgumentException($"{terms.Length} terms but {weights.Length} weights", nameof(weights));
        }

        _weights = new Dictionary<string, float>(terms.Length, StringComparer.Ordinal);
        for (var i = 0; i < terms.Length; i++)
        {
            if (Nonzero(terms[i], weights[i]) && !_weights.TryAdd(terms[i], weights[i]))
            {
                throw new ArgumentException($"term '{terms[i]}' appears twice", nameof(terms));
            }
        }
    }

    /// <summary>Whether the entry is kept (zeros are not stored); throws for a weight that is not a finite number.</summary>
    private static bool Nonzero(string term, float weight) => float.IsFinite(weight)
        ? weight != 0f
        : throw new ArgumentException($"weight of term '{term}' is {weight}; weights must be finite numbers", "weights");

    public static SparseVector Empty { get; } = new(new Dictionary<string, float>());

    /// <summary>Number of non-zero entries.</summary>
    public int Count => _weights.Count;

    public IReadOnlyDictionary<string, float> Weights => _weights;

    public float this[string term] => _weights.TryGetValue(term, out var w) ? w : 0f;

    /// <summary>Exact dot product, accumulated in double so it is a reference for float scorers.</summary>
    public double Dot(SparseVector other)
    {
        var (small, large) = Count <= other.Count ? (this, other) : (other, this);
        double sum = 0;
        foreach (var (term, weight) in small._weights)
        {
            if (large._weights.TryGetValue(term, out var w))
            {
                sum += (double)weight * w;
            }
        }

        return sum;
    }
}
