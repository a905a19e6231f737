using SparseSearch.Core;

namespace SparseSearch.Tests.Core;

public class ImpactQuantizerTests
{
    [Theory]
    // Values chosen to be exact in binary so the expected impacts are hand-computable.
    [InlineData(4f, 0.125f, 1)] // 0.5 rounds up (half-even would give 0)
    [InlineData(1f, 2.5f, 3)] // half-even would give 2
    [InlineData(4f, 0.375f, 2)] // 1.5 -> 2
    [InlineData(100f, 1.25f, 125)]
    [InlineData(1f, 0.25f, 0)]
    [InlineData(1f, -3f, 0)]
    public void Quantize_rounds_half_up_and_clamps_at_zero(float scale, float weight, int expected) =>
        Assert.Equal(expected, new ImpactQuantizer(scale).Quantize(weight));

    [Fact]
    public void Quantized_vector_drops_weights_that_round_to_zero()
    {
        var vector = new SparseVector(new Dictionary<string, float> { ["a"] = 1.5f, ["b"] = 0.004f, ["c"] = -2f });
        var impacts = new ImpactQuantizer(100f).Quantize(vector);
        Assert.Equal([new TermImpact("a", 150)], impacts);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    public void Scale_must_be_positive(float scale) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImpactQuantizer(scale));

    [Fact]
    public void Sparse_vector_rejects_non_finite_weights() =>
        Assert.Throws<ArgumentException>(() => new SparseVector(new Dictionary<string, float> { ["x"] = float.NaN }));

    [Fact]
    public void Dot_product_sums_shared_terms_only()
    {
        var a = new SparseVector(new Dictionary<string, float> { ["x"] = 2f, ["y"] = 3f });
        var b = new SparseVector(new Dictionary<string, float> { ["y"] = 4f, ["z"] = 5f });
        Assert.Equal(12d, a.Dot(b));
    }
}
