namespace SparseSearch.Index.Filters;

/// <summary>A value a filter compares metadata with: a keyword (strings; booleans as "true"/"false") or a number.</summary>
public readonly record struct FilterValue(string? Keyword, double Number)
{
    public bool IsNumber => Keyword is null;

    public static FilterValue Of(string keyword) => new(keyword, 0);

    public static FilterValue Of(double number) => new(null, number);

    public override string ToString() => Keyword ?? Number.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// A metadata filter, applied inside the top k (only documents it accepts compete for a place), written as JSON in the
/// CLI and the HTTP API (<see cref="FilterParser"/>).
/// </summary>
public abstract record SearchFilter;

/// <summary>The field has this value (one of its values, for a multi-valued field).</summary>
public sealed record TermFilter(string Field, FilterValue Value) : SearchFilter;

/// <summary>The field has any of these values.</summary>
public sealed record TermsFilter(string Field, IReadOnlyList<FilterValue> Values) : SearchFilter;

/// <summary>
/// One of the field's values lies in the range: numbers compare numerically, keywords by their UTF-8 bytes. A missing
/// bound is open.
/// </summary>
public sealed record RangeFilter(string Field, FilterValue? Lower, bool LowerInclusive, FilterValue? Upper, bool UpperInclusive) : SearchFilter;

public sealed record AndFilter(IReadOnlyList<SearchFilter> Filters) : SearchFilter;

public sealed record OrFilter(IReadOnlyList<SearchFilter> Filters) : SearchFilter;

/// <summary>Every document the inner filter rejects, documents without the field included.</summary>
public sealed record NotFilter(SearchFilter Filter) : SearchFilter;

/// <summary>Chunks numbered below <see cref="Limit"/> (a chunked index's first-P passages); not part of the filter language.</summary>
public sealed record ChunkOrdinalBelowFilter(int Limit) : SearchFilter;
