using Lucene.Net.Codecs;
using Lucene.Net.Codecs.Lucene41;
using Lucene.Net.Index;

namespace SparseSearch.Index.Impact.Codec;

/// <summary>
/// Lucene 4.1 postings plus each term's largest impact, written into the segment itself when the segment is flushed,
/// merged or added (<see cref="ImpactBoundsWriter"/>) and read back with it (<see cref="BoundedTerms"/>). Segments are
/// immutable, so the bounds of a segment can never go stale: nothing outside the Lucene commit describes it, and a
/// searcher needs only a reader (as Lucene 8+ and Tantivy keep impacts with the segment). Deleted documents stay
/// counted until a merge drops them, which keeps the bound an upper bound.
/// </summary>
[PostingsFormatName(FormatName)]
public sealed class ImpactBoundsPostingsFormat : PostingsFormat
{
    public const string FormatName = "SparseImpacts1";

    /// <summary>Extension of the per-segment bounds file (impact bounds, "ibd").</summary>
    internal const string Extension = "ibd";

    internal const string CodecName = "SparseImpactBounds";
    internal const int Version = 1;

    private readonly PostingsFormat _postings = new Lucene41PostingsFormat();
    private readonly Approximate.ApproximateIndexSettings? _approximate;

    /// <summary>The format as readers get it from the factory: writing through it builds no approximate structures.</summary>
    public ImpactBoundsPostingsFormat()
    {
    }

    /// <param name="approximate">Also write each large enough segment's approximate-search file; null: none.</param>
    public ImpactBoundsPostingsFormat(Approximate.ApproximateIndexSettings? approximate) => _approximate = approximate;

    public override FieldsConsumer FieldsConsumer(SegmentWriteState state) => new ImpactBoundsWriter(_postings.FieldsConsumer(state), state, _approximate);

    public override FieldsProducer FieldsProducer(SegmentReadState state) => new ImpactBoundsReader(_postings.FieldsProducer(state), state);

    internal static string FileName(string segment, string suffix) => IndexFileNames.SegmentFileName(segment, suffix, Extension);
}
