namespace SparseSearch.Core;

/// <summary>
/// Turns float term weights into the positive integer impacts stored as posting frequencies:
/// impact = floor(weight × scale + 0.5) (round half up, as Anserini's SPLADE indexing does with scale 100);
/// weights that round to zero or below are dropped, because a zero impact cannot be a posting.
/// </summary>
public sealed class ImpactQuantizer
{
    public const float DefaultScale = 100f;

    /// <summary>
    /// The largest impact an index accepts, 2^24: Lucene scores a posting with its frequency as a float, exact only up
    /// to 2^24, and the pruning bounds' fixed-point arithmetic is sized for it. Larger impacts are refused rather than
    /// clamped, since a clamped impact silently changes the ranking.
    /// </summary>
    public const int MaxImpact = 1 << 24;

    public ImpactQuantizer(float scale = DefaultScale)
    {
        if (!(scale > 0f) || !float.IsFinite(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "quantization scale must be a positive number");
        }

        Scale = scale;
    }

    public float Scale { get; }

    /// <exception cref="ImpactOutOfRangeException">The impact would exceed <see cref="MaxImpact"/>.</exception>
    public int Quantize(float weight) => Quantize(weight, null);

    private int Quantize(float weight, string? term)
    {
        var scaled = Math.Floor((double)weight * Scale + 0.5);
        if (scaled > MaxImpact)
        {
            var what = term is null ? "a weight" : $"term '{term}'";
            throw new ImpactOutOfRangeException(
                $"{what} of {weight:R} × scale {Scale:R} gives impact {scaled:R}, above the largest impact an index accepts ({MaxImpact:N0}); use a smaller --scale");
        }

        return scaled <= 0 ? 0 : (int)scaled;
    }

    /// <summary>Dequantized weight of an impact: what the index scores with.</summary>
    public float Dequantize(int impact) => impact / Scale;

    public IReadOnlyList<TermImpact> Quantize(SparseVector vector)
    {
        var impacts = new List<TermImpact>(vector.Count);
        foreach (var (term, weight) in vector.Weights)
        {
            var impact = Quantize(weight, term);
            if (impact > 0)
            {
                impacts.Add(new TermImpact(term, impact));
            }
        }

        return impacts;
    }
}

/// <summary>One quantized posting of a document: the term and its integer impact.</summary>
public readonly record struct TermImpact(string Term, int Impact);
