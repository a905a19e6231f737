using SparseSearch.Core;

namespace SparseSearch.Index.MultiField;

public enum FusionMethod
{
    /// <summary>Reciprocal rank fusion: Σ weight / (rank constant + rank).</summary>
    Rrf,

    /// <summary>Weighted arithmetic mean of per-field normalized scores (OpenSearch's normalization processor).</summary>
    Linear,
}

public enum ScoreNormalization
{
    /// <summary>(score − min) / (max − min) over the field's result list; 1 when all scores are equal.</summary>
    MinMax,

    /// <summary>score / √(Σ score²) over the field's result list.</summary>
    L2,

    /// <summary>(score − mean) / standard deviation over the field's result list; 0 when all scores are equal.</summary>
    ZScore,
}

/// <summary>How a query over several fields merges their rankings; every knob has a CLI flag with these defaults.</summary>
public sealed record FusionSettings
{
    public FusionMethod Method { get; init; } = FusionMethod.Rrf;

    /// <summary>RRF's k (OpenSearch's rank_constant, Anserini's 60).</summary>
    public int RankConstant { get; init; } = 60;

    /// <summary>Hits each field retrieves before fusion (OpenSearch's rank_window_size); at least the k asked for.</summary>
    public int RankWindow { get; init; } = 100;

    public ScoreNormalization Normalization { get; init; } = ScoreNormalization.MinMax;

    /// <summary>Per-field weights (1 where not given).</summary>
    public IReadOnlyDictionary<string, double> Weights { get; init; } = new Dictionary<string, double>();

    /// <summary>The fields searched (null: all of the index's).</summary>
    public IReadOnlyList<string>? Fields { get; init; }

    public double WeightOf(string field) => Weights.TryGetValue(field, out var weight) ? weight : 1.0;

    /// <summary>Parses <c>--field-weights bm25=0.7,bm25-wp=0.3</c>.</summary>
    public static Dictionary<string, double> ParseWeights(string? text)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var pair in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=');
            if (parts.Length != 2 || !double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var weight)
                || !double.IsFinite(weight) || weight < 0)
            {
                throw new InvalidSettingException($"--field-weights takes field=weight pairs with finite weights ≥ 0, found '{pair}'");
            }

            weights[parts[0]] = weight;
        }

        return weights;
    }
}
