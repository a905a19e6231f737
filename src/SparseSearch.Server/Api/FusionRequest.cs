using System.Text.Json;
using SparseSearch.Index.MultiField;

namespace SparseSearch.Server.Api;

/// <summary>
/// The <c>fields</c> and <c>fusion</c> of a search over a multi-field index: POST
/// <c>{"fields": ["bm25", "bm25-wp"], "fusion": {"method": "rrf"|"linear", "rank_constant": 60, "rank_window": 100,
/// "normalization": "min_max"|"l2"|"z_score", "weights": {"bm25": 0.7}}}</c>, GET <c>fields=bm25,bm25-wp&amp;fusion=rrf</c>.
/// </summary>
internal static class FusionRequest
{
    public static FusionSettings? FromJson(JsonElement request, int maxWindow)
    {
        var fields = request.TryGetProperty("fields", out var fieldsElement) && fieldsElement.ValueKind != JsonValueKind.Null ? Fields(fieldsElement) : null;
        if (!request.TryGetProperty("fusion", out var fusion) || fusion.ValueKind == JsonValueKind.Null)
        {
            return fields is null ? null : new FusionSettings { Fields = fields };
        }

        JsonRequest.Object(fusion, "fusion");
        JsonRequest.AllowOnly(fusion, "fusion", "method", "rank_constant", "rank_window", "normalization", "weights");
        var defaults = new FusionSettings();
        return new FusionSettings
        {
            Fields = fields,
            Method = Method(JsonRequest.String(fusion, "fusion", "method", required: false) ?? "rrf"),
            RankConstant = JsonRequest.Int(fusion, "fusion", "rank_constant", defaults.RankConstant, 1, 1_000_000),
            RankWindow = JsonRequest.Int(fusion, "fusion", "rank_window", defaults.RankWindow, 1, maxWindow),
            Normalization = Normalization(JsonRequest.String(fusion, "fusion", "normalization", required: false) ?? "min_max"),
            Weights = fusion.TryGetProperty("weights", out var weights) && weights.ValueKind != JsonValueKind.Null ? Weights(weights) : defaults.Weights,
        };
    }

    public static FusionSettings? FromQuery(IQueryCollection query)
    {
        var fields = query.TryGetValue("fields", out var text) ? text.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;
        var method = query.TryGetValue("fusion", out var methodText) ? Method(methodText.ToString()) : (FusionMethod?)null;
        return fields is null && method is null ? null : new FusionSettings { Fields = fields is { Length: > 0 } ? fields : null, Method = method ?? FusionMethod.Rrf };
    }

    private static string[] Fields(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0 || element.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw ProblemException.Invalid("fields", "'fields' must be a non-empty array of field names");
        }

        return element.EnumerateArray().Select(e => e.GetString()!).Distinct(StringComparer.Ordinal).ToArray();
    }

    private static FusionMethod Method(string text) => text switch
    {
        "rrf" => FusionMethod.Rrf,
        "linear" => FusionMethod.Linear,
        _ => throw ProblemException.Invalid("fusion.method", $"'method' must be rrf or linear, found '{text}'"),
    };

    private static ScoreNormalization Normalization(string text) => text switch
    {
        "min_max" => ScoreNormalization.MinMax,
        "l2" => ScoreNormalization.L2,
        "z_score" => ScoreNormalization.ZScore,
        _ => throw ProblemException.Invalid("fusion.normalization", $"'normalization' must be min_max, l2 or z_score, found '{text}'"),
    };

    private static Dictionary<string, double> Weights(JsonElement element)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var entry in JsonRequest.Object(element, "fusion.weights").EnumerateObject())
        {
            var name = JsonRequest.Name(entry, "fusion.weights");
            if (entry.Value.ValueKind != JsonValueKind.Number || !double.IsFinite(entry.Value.GetDouble()) || entry.Value.GetDouble() < 0)
            {
                throw ProblemException.Invalid($"fusion.weights.{name}", $"a weight must be a finite number ≥ 0, found {entry.Value.GetRawText()}");
            }

            weights[name] = entry.Value.GetDouble();
        }

        return weights;
    }
}
