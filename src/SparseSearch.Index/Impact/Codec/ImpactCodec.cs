using System.Runtime.CompilerServices;
using Lucene.Net.Codecs;
using Lucene.Net.Codecs.Lucene46;

namespace SparseSearch.Index.Impact.Codec;

/// <summary>
/// The Lucene 4.6 codec with <see cref="ImpactBoundsPostingsFormat"/> for the impact field. The codec keeps Lucene's
/// name (readers pick each field's postings format from the name recorded in the segment), so only the postings format
/// has to be known to readers: <see cref="Register"/> makes it so, once per process, before any index is opened.
/// </summary>
internal sealed class ImpactCodec : Lucene46Codec
{
    private static readonly PostingsFormat Bounded = new ImpactBoundsPostingsFormat();

    public static ImpactCodec Instance { get; } = new();

    public override PostingsFormat GetPostingsFormatForField(string field) =>
        field == IndexFields.Impacts ? Bounded : base.GetPostingsFormatForField(field);

    /// <summary>Runs when this assembly loads: every reader of an impact index in the process goes through it.</summary>
#pragma warning disable CA2255 // A library's module initializer is the one hook that runs before any caller can open an index.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() =>
        PostingsFormat.SetPostingsFormatFactory(new DefaultPostingsFormatFactory { CustomPostingsFormatTypes = [typeof(ImpactBoundsPostingsFormat)] });
}
