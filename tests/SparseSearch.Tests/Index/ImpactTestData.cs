using SparseSearch.Core;
using SparseSearch.Encoding;
using SparseSearch.Index;

namespace SparseSearch.Tests.Index;

/// <summary>Small builders the impact index tests share.</summary>
internal static class ImpactTestData
{
    public static SparseVector Vector(params (string Term, float Weight)[] entries) => new(entries.ToDictionary(e => e.Term, e => e.Weight));

    /// <summary>The vector as the index holds it: quantized, then divided by the scale again.</summary>
    public static SparseVector Dequantize(ImpactQuantizer quantizer, SparseVector vector) =>
        new(quantizer.Quantize(vector).ToDictionary(i => i.Term, i => quantizer.Dequantize(i.Impact)));

    /// <summary>A manifest for an index written directly through ImpactIndexWriter.</summary>
    public static IndexManifest Manifest(float scale) => new()
    {
        Encoder = "test",
        Kind = IndexKind.Impact,
        EncoderSettings = new SortedDictionary<string, string>(),
        QuantizationScale = scale,
    };
}
