namespace SparseSearch.Bench.Synthetic;

/// <summary>A generated document: vocabulary ranks (distinct) and their weights, before quantization.</summary>
public sealed record SyntheticDocument(string Id, int[] Terms, float[] Weights);
