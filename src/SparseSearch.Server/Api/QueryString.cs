namespace SparseSearch.Server.Api;

/// <summary>Query-string parameters read by hand, as <see cref="JsonRequest"/> reads bodies: every bad one is a 400 naming it.</summary>
internal static class QueryString
{
    public static void AllowOnly(IQueryCollection query, params string[] names)
    {
        foreach (var key in query.Keys)
        {
            if (!names.Contains(key, StringComparer.Ordinal))
            {
                throw ProblemException.Invalid(key, $"unknown query parameter '{key}'; expected {string.Join(", ", names)}");
            }
        }
    }

    /// <summary>The parameter as an integer in [min, max], or <paramref name="fallback"/> when absent.</summary>
    public static long Integer(IQueryCollection query, string name, long fallback, long min, long max)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return fallback;
        }

        var text = values.ToString();
        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw ProblemException.Invalid(name, $"'{name}' must be an integer between {min} and {max}, found '{text}'");
    }
}
