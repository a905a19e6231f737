using SparseSearch.Core;

namespace SparseSearch.Index.Approximate;

/// <summary>
/// How the approximate-search structures are built with each segment (<c>index --approximate</c>); recorded in the
/// index manifest so the service's flushes and merges build them alike. Each segment of at least
/// <see cref="MinSegmentDocuments"/> documents gets a forward index (every document's terms and impacts, to score a
/// candidate exactly) and, per term, its <see cref="PostingsPerTerm"/> highest-impact postings (the static pruning of
/// Seismic and of OpenSearch's sparse ANN index). Smaller segments are searched exactly, as OpenSearch's
/// approximate_threshold does: their exact search is already cheap.
/// </summary>
public sealed record ApproximateIndexSettings
{
    /// <summary>Fraction of a segment's documents kept per term, before the floor of <see cref="MinPostingsPerTerm"/>.</summary>
    public double PostingsFraction { get; init; } = 0.002;

    /// <summary>The least postings kept per term (all of them when the term has fewer).</summary>
    public int MinPostingsPerTerm { get; init; } = 256;

    /// <summary>Segments with fewer documents get no approximate structures and are searched exactly.</summary>
    public int MinSegmentDocuments { get; init; } = 50_000;

    /// <summary>Postings kept per term in a segment of <paramref name="documents"/> documents.</summary>
    public int PostingsPerTerm(int documents) =>
        (int)Math.Min(int.MaxValue, Math.Max(MinPostingsPerTerm, Math.Ceiling(PostingsFraction * documents)));

    public void Validate()
    {
        if (!(PostingsFraction > 0 && PostingsFraction <= 1) || MinPostingsPerTerm < 1 || MinSegmentDocuments < 0)
        {
            throw new InvalidSettingException(
                $"approximate index: --approx-postings must be in (0, 1] (got {PostingsFraction}), --approx-min-postings ≥ 1 (got {MinPostingsPerTerm}), --approx-min-docs ≥ 0 (got {MinSegmentDocuments})");
        }
    }
}
