using SparseSearch.Core;

namespace SparseSearch.Index.MultiField;

/// <summary>One field's part in a fused hit: its rank and score there, the normalized score, and what it added.</summary>
public sealed record FieldContribution(string Field, int Rank, float Score, double Normalized, double Contribution);

public sealed record FusedHit(string Id, double Score, IReadOnlyList<FieldContribution> Fields);

/// <summary>
/// Merges per-field rankings of one query. RRF: Σ_f w_f / (rank_constant + rank_f), a document absent from a field's
/// window adding nothing. Linear: each field's scores normalized over its window (min_max, l2 or z_score), then the
/// weighted arithmetic mean Σ_f w_f × n_f / Σ_f w_f over the searched fields, an absent document counting 0 in that
/// field (OpenSearch's normalization processor with arithmetic_mean). Ties go to the smaller id (ordinal), so fused
/// rankings are deterministic.
/// </summary>
public static class FieldFusion
{
    public static IReadOnlyList<FusedHit> Fuse(IReadOnlyList<(string Field, IReadOnlyList<Hit> Hits)> rankings, FusionSettings settings, int k)
    {
        var contributions = new Dictionary<string, List<FieldContribution>>(StringComparer.Ordinal);
        var totalWeight = rankings.Sum(r => settings.WeightOf(r.Field));
        foreach (var (field, hits) in rankings)
        {
            var weight = settings.WeightOf(field);
            var normalized = settings.Method == FusionMethod.Linear ? Normalize(hits.Select(h => (double)h.Score).ToArray(), settings.Normalization) : null;
            for (var i = 0; i < hits.Count; i++)
            {
                var rank = i + 1;
                var value = settings.Method == FusionMethod.Rrf ? 1.0 / (settings.RankConstant + rank) : normalized![i];
                var contribution = settings.Method == FusionMethod.Rrf ? weight * value : totalWeight > 0 ? weight * value / totalWeight : 0;
                if (!contributions.TryGetValue(hits[i].DocId, out var list))
                {
                    contributions[hits[i].DocId] = list = [];
                }

                list.Add(new FieldContribution(field, rank, hits[i].Score, value, contribution));
            }
        }

        return contributions
            .Select(e => new FusedHit(e.Key, e.Value.Sum(c => c.Contribution), e.Value))
            .OrderByDescending(h => h.Score)
            .ThenBy(h => h.Id, StringComparer.Ordinal)
            .Take(k)
            .ToArray();
    }

    /// <summary>
    /// Fuses described per-field hits into described fused hits: the score is the fused one; title, snippet and
    /// metadata come from the field that ranked the document highest; with <paramref name="explain"/>, the matches of
    /// every field and each field's contribution.
    /// </summary>
    public static IReadOnlyList<Impact.DetailedHit> Describe(IReadOnlyList<(string Field, IReadOnlyList<Impact.DetailedHit> Hits)> fields, FusionSettings settings,
        int k, bool explain)
    {
        var fused = Fuse(fields.Select(f => (f.Field, (IReadOnlyList<Hit>)f.Hits.Select(h => new Hit(h.Id, h.Score)).ToArray())).ToArray(), settings, k);
        var byField = fields.ToDictionary(f => f.Field, f => f.Hits.ToDictionary(h => h.Id, StringComparer.Ordinal), StringComparer.Ordinal);
        return fused.Select(hit =>
        {
            var best = byField[hit.Fields.OrderBy(c => c.Rank).First().Field][hit.Id];
            return best with
            {
                Score = (float)hit.Score,
                Matches = explain ? hit.Fields.SelectMany(c => byField[c.Field][hit.Id].Matches ?? []).ToArray() : null,
                FieldContributions = explain ? hit.Fields : null,
            };
        }).ToArray();
    }

    public static double[] Normalize(double[] scores, ScoreNormalization normalization)
    {
        if (scores.Length == 0)
        {
            return scores;
        }

        switch (normalization)
        {
            case ScoreNormalization.MinMax:
                {
                    var (min, max) = (scores.Min(), scores.Max());
                    return scores.Select(s => max > min ? (s - min) / (max - min) : 1.0).ToArray();
                }

            case ScoreNormalization.L2:
                {
                    var norm = Math.Sqrt(scores.Sum(s => s * s));
                    return scores.Select(s => norm > 0 ? s / norm : 0).ToArray();
                }

            default:
                {
                    var mean = scores.Average();
                    var deviation = Math.Sqrt(scores.Sum(s => (s - mean) * (s - mean)) / scores.Length);
                    return scores.Select(s => deviation > 0 ? (s - mean) / deviation : 0).ToArray();
                }
        }
    }
}
