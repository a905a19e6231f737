using System.Text.Json;
using SparseSearch.Index.Approximate;

namespace SparseSearch.Server.Api;

/// <summary>
/// The <c>approximate</c> part of a search: POST <c>"approximate": true</c> or
/// <c>{"query_terms": 12, "candidates": 500}</c> (each a positive integer or "all", defaults
/// as the CLI's); GET <c>approximate=true</c> with the defaults.
/// </summary>
public static class ApproximateRequest
{
    public static ApproximateSearchSettings? FromJson(JsonElement request)
    {
        if (!request.TryGetProperty("approximate", out var element) || element.ValueKind is JsonValueKind.Null or JsonValueKind.False)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.True)
        {
            return new ApproximateSearchSettings();
        }

        JsonRequest.Object(element, "approximate");
        JsonRequest.AllowOnly(element, "approximate", "query_terms", "candidates");
        var defaults = new ApproximateSearchSettings();
        return new ApproximateSearchSettings
        {
            QueryTerms = Count(element, "query_terms", defaults.QueryTerms),
            Candidates = Count(element, "candidates", defaults.Candidates),
        };
    }

    public static ApproximateSearchSettings? FromQuery(IQueryCollection query) =>
        !query.TryGetValue("approximate", out var text) ? null
        : text.ToString() switch
        {
            "true" or "1" => new ApproximateSearchSettings(),
            "false" or "0" or "" => null,
            var other => throw ProblemException.Invalid("approximate", $"'approximate' must be true or false, found '{other}'"),
        };

    /// <summary>What a response says of an approximate search: the knobs and how many segments were searched approximately.</summary>
    public static ApproximateUsed Describe(ApproximateSearchSettings settings, int segments) =>
        new(Show(settings.QueryTerms), Show(settings.Candidates), segments);

    private static int Count(JsonElement obj, string name, int fallback)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        if (value.ValueKind == JsonValueKind.String && value.GetString() == "all")
        {
            return ApproximateSearchSettings.All;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= 1
            ? number
            : throw ProblemException.Invalid($"approximate.{name}", $"'{name}' must be a positive integer or \"all\", found {value.GetRawText()}");
    }

    private static JsonElement Show(int value) => JsonSerializer.SerializeToElement<object>(value == ApproximateSearchSettings.All ? "all" : value);
}
