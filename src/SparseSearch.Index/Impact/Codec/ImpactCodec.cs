using Lucene.Net.Codecs;
using Lucene.Net.Codecs.Lucene46;

namespace SparseSearch.Index.Impact.Codec;

/// <summary>
/// The Lucene 4.6 codec with <see cref="ImpactBoundsPostingsFormat"/> for the impact field. The codec keeps Lucene's
/// name (readers pick each field's postings format from the name recorded in the segment), so only the postings format
/// has to be known to readers: <see cref="LuceneSettings"/> registers it, once per process, before any index is opened.
/// </summary>
internal sealed class ImpactCodec : Lucene46Codec
{
    private readonly PostingsFormat _bounded;

    /// <param name="approximate">Settings of the approximate structures written with large segments; null: none.</param>
    public ImpactCodec(Approximate.ApproximateIndexSettings? approximate = null) => _bounded = new ImpactBoundsPostingsFormat(approximate);

    public static ImpactCodec Instance { get; } = new();

    public override PostingsFormat GetPostingsFormatForField(string field) =>
        field == IndexFields.Impacts ? _bounded : base.GetPostingsFormatForField(field);
}
