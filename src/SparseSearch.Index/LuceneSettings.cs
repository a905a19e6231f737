using System.Runtime.CompilerServices;
using Lucene.Net.Codecs;
using Lucene.Net.Search;
using SparseSearch.Index.Impact.Codec;

namespace SparseSearch.Index;

/// <summary>Process-wide Lucene settings, applied when this assembly loads: before any caller can open an index.</summary>
internal static class LuceneSettings
{
#pragma warning disable CA2255 // A library's module initializer is the one hook that runs before any caller can open an index.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        // Impact indexes name this postings format in their segments; readers find it through the factory.
        PostingsFormat.SetPostingsFormatFactory(new DefaultPostingsFormatFactory { CustomPostingsFormatTypes = [typeof(ImpactBoundsPostingsFormat)] });

        // Expanded (SPLADE-style) queries carry hundreds of terms, and long BM25 queries (a whole document as the
        // query, as in ArguAna) more than 1,024 distinct ones: Lucene's default clause cap aborted such searches.
        BooleanQuery.MaxClauseCount = 1 << 16;
    }
}
