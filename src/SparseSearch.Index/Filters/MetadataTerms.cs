using Lucene.Net.Util;
using SparseSearch.Core;

namespace SparseSearch.Index.Filters;

/// <summary>
/// How metadata values become indexed terms, for the impact batches (which hand Lucene postings directly) and the text
/// index (which uses Lucene's own fields) alike: keywords as one exact term, numbers as Lucene's trie terms of the
/// double's sortable long, so Lucene's NumericRangeQuery runs ranges over a handful of terms whatever their width.
/// </summary>
public static class MetadataTerms
{
    /// <summary>
    /// Lucene's default: 16 terms per number, and a range seeks at most 2 × 15 sub-ranges on each of 16 levels. A step
    /// of 8 halves the terms but allows 2 × 255 sub-ranges per level, and ranges over doubles (whose sortable longs
    /// spread across the exponent bits) took ~10 ms per query on five small segments.
    /// </summary>
    public const int PrecisionStep = 4;

    public static string KeywordField(string field) => IndexFields.KeywordPrefix + field;

    public static string NumericField(string field) => IndexFields.NumericPrefix + field;

    /// <summary>The (field, term) pairs one value is indexed under.</summary>
    public static IEnumerable<(string Field, string Term)> Of(MetadataValue value)
    {
        if (!value.IsNumber)
        {
            yield return (KeywordField(value.Field), value.Keyword!);
            yield break;
        }

        var sortable = NumericUtils.DoubleToSortableInt64(value.Number);
        var bytes = new BytesRef(NumericUtils.BUF_SIZE_INT64);
        for (var shift = 0; shift < 64; shift += PrecisionStep)
        {
            // Prefix-coded bytes are all below 0x80, so as a string they are the same bytes in UTF-8.
            NumericUtils.Int64ToPrefixCodedBytes(sortable, shift, bytes);
            yield return (NumericField(value.Field), bytes.Utf8ToString());
        }
    }
}
