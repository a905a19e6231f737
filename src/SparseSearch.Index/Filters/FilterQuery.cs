using Lucene.Net.Index;
using Lucene.Net.Search;

namespace SparseSearch.Index.Filters;

/// <summary>A filter as a Lucene query over the metadata fields (<see cref="MetadataTerms"/>): what both index kinds run.</summary>
public static class FilterQuery
{
    public static Query ToLucene(SearchFilter filter) => filter switch
    {
        TermFilter term => Equal(term.Field, term.Value),
        TermsFilter terms => Any(terms.Values.Select(v => Equal(terms.Field, v))),
        RangeFilter range => Range(range),
        AndFilter and => All(and.Filters.Select(ToLucene)),
        OrFilter or => Any(or.Filters.Select(ToLucene)),
        ChunkOrdinalBelowFilter below => NumericRangeQuery.NewDoubleRange(IndexFields.ChunkOrdinal, MetadataTerms.PrecisionStep, 0, below.Limit, true, false),
        NotFilter not => new BooleanQuery { { new MatchAllDocsQuery(), Occur.MUST }, { ToLucene(not.Filter), Occur.MUST_NOT } },
        _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "unknown filter"),
    };

    private static Query Equal(string field, FilterValue value) => value.IsNumber
        ? NumericRangeQuery.NewDoubleRange(MetadataTerms.NumericField(field), MetadataTerms.PrecisionStep, value.Number, value.Number, true, true)
        : new TermQuery(new Term(MetadataTerms.KeywordField(field), value.Keyword));

    private static Query Range(RangeFilter range)
    {
        var number = (range.Lower ?? range.Upper)!.Value.IsNumber;
        return number
            ? NumericRangeQuery.NewDoubleRange(MetadataTerms.NumericField(range.Field), MetadataTerms.PrecisionStep, range.Lower?.Number, range.Upper?.Number,
                range.LowerInclusive, range.UpperInclusive)
            : TermRangeQuery.NewStringRange(MetadataTerms.KeywordField(range.Field), range.Lower?.Keyword, range.Upper?.Keyword, range.LowerInclusive,
                range.UpperInclusive);
    }

    private static BooleanQuery All(IEnumerable<Query> queries)
    {
        var boolean = new BooleanQuery();
        foreach (var query in queries)
        {
            boolean.Add(query, Occur.MUST);
        }

        return boolean;
    }

    private static BooleanQuery Any(IEnumerable<Query> queries)
    {
        var boolean = new BooleanQuery();
        foreach (var query in queries)
        {
            boolean.Add(query, Occur.SHOULD);
        }

        return boolean;
    }
}
