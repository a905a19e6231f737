using Lucene.Net.Index;
using Lucene.Net.Util;
using SparseSearch.Core;

namespace SparseSearch.Index.Impact.Codec;

/// <summary>Looks up a segment's own term bounds, written with it by <see cref="ImpactBoundsPostingsFormat"/>.</summary>
public static class SegmentBounds
{
    /// <summary>The largest impact of <paramref name="term"/> in the segment, 0 when the segment lacks it.</summary>
    public static int MaxImpact(AtomicReader segment, BytesRef term) => segment.GetTerms(IndexFields.Impacts) switch
    {
        null => 0,
        BoundedTerms bounded => bounded.MaxImpact(term),
        _ => throw new IndexMismatchException($"segment {segment} has impact postings without per-segment bounds (an index written by an older build); rebuild the index"),
    };
}
