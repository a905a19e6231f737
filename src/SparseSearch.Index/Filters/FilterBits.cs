using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace SparseSearch.Index.Filters;

/// <summary>
/// Evaluates a filter on one segment straight into bits: each term's postings or Lucene's range filters (which build a
/// bit set from the range's terms) OR-ed in, and/or/not as word-wide bit operations. Going through Lucene's query
/// scorers instead cost ~0.4 ms per query for a 1%-selective range on a million documents, a third of the query.
/// Deleted documents are cleared at the end, so "not" never brings one back.
/// </summary>
internal static class FilterBits
{
    public static FixedBitSet Evaluate(SearchFilter filter, AtomicReaderContext leaf)
    {
        var bits = Bits(filter, leaf);
        if (leaf.AtomicReader.LiveDocs is { } live)
        {
            for (var doc = bits.NextSetBit(0); doc >= 0; doc = doc + 1 < bits.Length ? bits.NextSetBit(doc + 1) : -1)
            {
                if (!live.Get(doc))
                {
                    bits.Clear(doc);
                }
            }
        }

        return bits;
    }

    private static FixedBitSet Bits(SearchFilter filter, AtomicReaderContext leaf)
    {
        var maxDoc = leaf.AtomicReader.MaxDoc;
        switch (filter)
        {
            case TermFilter term:
                return Value(term.Field, term.Value, leaf);
            case TermsFilter terms:
                {
                    var bits = new FixedBitSet(maxDoc);
                    foreach (var value in terms.Values)
                    {
                        bits.Or(Value(terms.Field, value, leaf));
                    }

                    return bits;
                }

            case RangeFilter range:
                return FromFilter(Range(range), leaf);
            case ChunkOrdinalBelowFilter below:
                return FromFilter(NumericRangeFilter.NewDoubleRange(IndexFields.ChunkOrdinal, MetadataTerms.PrecisionStep, 0, below.Limit, true, false), leaf);
            case AndFilter and:
                {
                    var bits = Bits(and.Filters[0], leaf);
                    foreach (var inner in and.Filters.Skip(1))
                    {
                        bits.And(Bits(inner, leaf));
                    }

                    return bits;
                }

            case OrFilter or:
                {
                    var bits = new FixedBitSet(maxDoc);
                    foreach (var inner in or.Filters)
                    {
                        bits.Or(Bits(inner, leaf));
                    }

                    return bits;
                }

            case NotFilter not:
                {
                    var bits = Bits(not.Filter, leaf);
                    bits.Flip(0, maxDoc);
                    return bits;
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(filter), filter, "unknown filter");
        }
    }

    private static FixedBitSet Value(string field, FilterValue value, AtomicReaderContext leaf)
    {
        if (value.IsNumber)
        {
            return FromFilter(NumericRangeFilter.NewDoubleRange(MetadataTerms.NumericField(field), MetadataTerms.PrecisionStep, value.Number, value.Number, true, true), leaf);
        }

        var bits = new FixedBitSet(leaf.AtomicReader.MaxDoc);
        var terms = leaf.AtomicReader.GetTerms(MetadataTerms.KeywordField(field))?.GetEnumerator();
        if (terms is not null && terms.SeekExact(new BytesRef(value.Keyword)))
        {
            bits.Or(terms.Docs(null, null, DocsFlags.NONE));
        }

        return bits;
    }

    private static Filter Range(RangeFilter range) => (range.Lower ?? range.Upper)!.Value.IsNumber
        ? NumericRangeFilter.NewDoubleRange(MetadataTerms.NumericField(range.Field), MetadataTerms.PrecisionStep, range.Lower?.Number, range.Upper?.Number,
            range.LowerInclusive, range.UpperInclusive)
        : TermRangeFilter.NewStringRange(MetadataTerms.KeywordField(range.Field), range.Lower?.Keyword, range.Upper?.Keyword, range.LowerInclusive,
            range.UpperInclusive);

    private static FixedBitSet FromFilter(Filter filter, AtomicReaderContext leaf)
    {
        var set = filter.GetDocIdSet(leaf, null);
        if (set is FixedBitSet fixedBits)
        {
            return fixedBits;
        }

        var bits = new FixedBitSet(leaf.AtomicReader.MaxDoc);
        if (set?.GetIterator() is { } iterator)
        {
            bits.Or(iterator);
        }

        return bits;
    }
}
