namespace SparseSearch.Core;

/// <summary>
/// Turns float term weights into the positive integer impacts stored as posting frequencies:
/// impact = floor(weight × scale + 0.5) (round half up, as Anserini's SPLADE indexing does with scale 100);
/// weights that round to zero or below are dropped, because a zero impact cannot be a posting.
/// </summary>
public sealed class ImpactQuantizer
{
    public const float DefaultScale = 100f;

    public ImpactQuantizer(float scale = DefaultScale)
    {
        if (!(scale > 0f) || !float.IsFinite(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "quantization scale must be a positive number");
        }

        Scale = scale;
    }

    public float Scale { get; }

    public int Quantize(float weight)
    {
        var scaled = Math.Floor((double)weight * Scale + 0.5);
        return scaled >= int.MaxValue ? int.MaxValue : scaled <= 0 ? 0 : (int)scaled;
    }

    /// <summary>Dequantized weight of an impact: what the index scores with.</summary>
    public float Dequantize(int impact) => impact / Scale;

    public IReadOnlyList<TermImpact> Quantize(SparseVector vector)
    {
        var impacts = new List<TermImpact>(vector.Count);
        foreach (var (term, weight) in vector.Weights)
        {
            var impact = Quantize(weight);
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
