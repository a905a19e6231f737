using System.Text.Json;
using SparseSearch.Core;

namespace SparseSearch.Index.Filters;

/// <summary>A filter that cannot be read; <see cref="Path"/> says where in it (for example <c>filter.and[1].range.year</c>).</summary>
public sealed class InvalidFilterException(string path, string message) : SparseSearchException($"{path}: {message}")
{
    public string Path { get; } = path;

    public string Reason { get; } = message;
}

/// <summary>
/// Reads the filter language, one operator per object, the same in the CLI (<c>--filter</c>) and the HTTP API:
/// <code>
/// {"term":  {"FIELD": VALUE}}
/// {"terms": {"FIELD": [VALUE, ...]}}
/// {"range": {"FIELD": {"gte" | "gt": VALUE, "lte" | "lt": VALUE}}}
/// {"and": [FILTER, ...]}   {"or": [FILTER, ...]}   {"not": FILTER}
/// </code>
/// VALUE is a string, a number or a boolean. Field names are metadata fields, nested ones dotted (<c>a.b</c>).
/// </summary>
public static class FilterParser
{
    /// <summary>Bounds the work a filter can ask for: clauses in all, and nesting.</summary>
    public const int MaxClauses = 1024;

    public const int MaxDepth = 32;

    /// <summary>Parses filter JSON text (the CLI's <c>--filter</c>, GET /search's <c>filter</c> parameter).</summary>
    public static SearchFilter Parse(string json, string path = "filter")
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth * 3 });
            return Parse(document.RootElement, path);
        }
        catch (JsonException e)
        {
            throw new InvalidFilterException(path, $"not valid JSON ({e.Message})");
        }
    }

    public static SearchFilter Parse(JsonElement element, string path = "filter")
    {
        var clauses = 0;
        return Parse(element, path, 0, ref clauses);
    }

    private static SearchFilter Parse(JsonElement element, string path, int depth, ref int clauses)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidFilterException(path, $"filters nest at most {MaxDepth} levels deep");
        }

        if (++clauses > MaxClauses)
        {
            throw new InvalidFilterException(path, $"a filter has at most {MaxClauses} clauses");
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidFilterException(path, $"expected a filter object such as {{\"term\": {{\"field\": \"value\"}}}}, found {Kind(element)}");
        }

        var properties = element.EnumerateObject().ToArray();
        if (properties.Length != 1)
        {
            throw new InvalidFilterException(path, $"a filter object has exactly one operator (term, terms, range, and, or, not), found {properties.Length}");
        }

        var (name, body) = (properties[0].Name, properties[0].Value);
        var at = $"{path}.{name}";
        switch (name)
        {
            case "term":
                {
                    var (field, value) = SingleField(body, at);
                    return new TermFilter(field, Value(value, $"{at}.{field}"));
                }

            case "terms":
                {
                    var (field, value) = SingleField(body, at);
                    if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
                    {
                        throw new InvalidFilterException($"{at}.{field}", "expected a non-empty array of values");
                    }

                    clauses += value.GetArrayLength();
                    if (clauses > MaxClauses)
                    {
                        throw new InvalidFilterException($"{at}.{field}", $"a filter has at most {MaxClauses} clauses (values included)");
                    }

                    return new TermsFilter(field, value.EnumerateArray().Select((v, i) => Value(v, $"{at}.{field}[{i}]")).ToArray());
                }

            case "range":
                {
                    var (field, bounds) = SingleField(body, at);
                    return Range(field, bounds, $"{at}.{field}");
                }

            case "and" or "or":
                {
                    if (body.ValueKind != JsonValueKind.Array || body.GetArrayLength() == 0)
                    {
                        throw new InvalidFilterException(at, "expected a non-empty array of filters");
                    }

                    var inner = new List<SearchFilter>();
                    var i = 0;
                    foreach (var item in body.EnumerateArray())
                    {
                        inner.Add(Parse(item, $"{at}[{i++}]", depth + 1, ref clauses));
                    }

                    return name == "and" ? new AndFilter(inner) : new OrFilter(inner);
                }

            case "not":
                return new NotFilter(Parse(body, at, depth + 1, ref clauses));
            default:
                throw new InvalidFilterException(path, $"unknown operator '{name}'; use term, terms, range, and, or or not");
        }
    }

    private static (string Field, JsonElement Value) SingleField(JsonElement body, string path)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidFilterException(path, $"expected {{\"field\": ...}}, found {Kind(body)}");
        }

        var properties = body.EnumerateObject().ToArray();
        if (properties.Length != 1)
        {
            throw new InvalidFilterException(path, $"names exactly one field, found {properties.Length}");
        }

        if (properties[0].Name.Length == 0)
        {
            throw new InvalidFilterException(path, "the field name is empty");
        }

        return (properties[0].Name, properties[0].Value);
    }

    private static RangeFilter Range(string field, JsonElement bounds, string path)
    {
        if (bounds.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidFilterException(path, $"expected {{\"gte\"|\"gt\": value, \"lte\"|\"lt\": value}}, found {Kind(bounds)}");
        }

        FilterValue? lower = null, upper = null;
        bool lowerInclusive = false, upperInclusive = false;
        foreach (var bound in bounds.EnumerateObject())
        {
            var value = Value(bound.Value, $"{path}.{bound.Name}");
            switch (bound.Name)
            {
                case "gt" or "gte":
                    if (lower is not null)
                    {
                        throw new InvalidFilterException(path, "give one lower bound: gt or gte");
                    }

                    (lower, lowerInclusive) = (value, bound.Name == "gte");
                    break;
                case "lt" or "lte":
                    if (upper is not null)
                    {
                        throw new InvalidFilterException(path, "give one upper bound: lt or lte");
                    }

                    (upper, upperInclusive) = (value, bound.Name == "lte");
                    break;
                default:
                    throw new InvalidFilterException($"{path}.{bound.Name}", "unknown bound; use gt, gte, lt or lte");
            }
        }

        if (lower is null && upper is null)
        {
            throw new InvalidFilterException(path, "a range needs a bound (gt, gte, lt or lte)");
        }

        if (lower is { } l && upper is { } u && l.IsNumber != u.IsNumber)
        {
            throw new InvalidFilterException(path, "both bounds must be numbers or both strings");
        }

        return new RangeFilter(field, lower, lowerInclusive, upper, upperInclusive);
    }

    private static FilterValue Value(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.String => FilterValue.Of(value.GetString()!),
        JsonValueKind.Number when double.IsFinite(value.GetDouble()) => FilterValue.Of(value.GetDouble()),
        JsonValueKind.True => FilterValue.Of("true"),
        JsonValueKind.False => FilterValue.Of("false"),
        _ => throw new InvalidFilterException(path, $"expected a string, a finite number or a boolean, found {Kind(value)}"),
    };

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.Null => "null",
        _ => element.GetRawText(),
    };
}
