namespace SparseSearch.Bench.Synthetic;

/// <summary>Shape of a synthetic SPLADE-like corpus; every field has a flag on <c>sparse bench</c> and this default.</summary>
public sealed record SyntheticCorpusSpec
{
    public long Documents { get; init; } = 1_000_000;

    public int Seed { get; init; } = 42;

    /// <summary>BERT's WordPiece vocabulary size: the term space of SPLADE models.</summary>
    public int VocabularySize { get; init; } = 30_522;

    public int MinTermsPerDocument { get; init; } = 100;

    public int MaxTermsPerDocument { get; init; } = 250;

    public double ZipfExponent { get; init; } = 1.0;

    public double ZipfOffset { get; init; } = 10;

    public int InferenceFreeQueries { get; init; } = 500;

    public int ExpandedQueries { get; init; } = 200;
}
