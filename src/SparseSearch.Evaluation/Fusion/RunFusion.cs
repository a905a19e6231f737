using SparseSearch.Core;
using SparseSearch.Evaluation.Metrics;

namespace SparseSearch.Evaluation.Fusion;

/// <summary>How <see cref="RunFusion"/> combines runs (Anserini's FuseRuns methods).</summary>
public enum FusionMethod
{
    /// <summary>Reciprocal rank fusion: Σ over runs of 1 / (k + rank), rank counted from 1 in each run.</summary>
    Rrf,

    /// <summary>Mean of the runs' scores (a document missing from a run scores 0 there).</summary>
    Average,

    /// <summary>alpha × first run's score + (1 − alpha) × second run's score (exactly two runs).</summary>
    Interpolation,
}

/// <summary>Settings of a fusion; each has a <c>sparse fuse</c> flag with this default (Anserini's FuseRuns defaults).</summary>
public sealed record FusionOptions
{
    public FusionMethod Method { get; init; } = FusionMethod.Rrf;

    /// <summary>RRF's rank constant k.</summary>
    public double RrfK { get; init; } = 60;

    /// <summary>Hits read from each run per query (its top, in trec_eval order).</summary>
    public int Depth { get; init; } = 1000;

    /// <summary>Hits written per query.</summary>
    public int K { get; init; } = 1000;

    /// <summary>Weight of the first run in interpolation.</summary>
    public double Alpha { get; init; } = 0.5;

    /// <summary>Rescale each run's scores per query to [0, 1] before averaging or interpolating.</summary>
    public bool MinMaxNormalization { get; init; }
}

/// <summary>
/// Fuses TREC runs query by query. Each run is first put in trec_eval order (score descending, ties by doc id
/// descending) and cut to <see cref="FusionOptions.Depth"/>; the fused list is ordered the same way and cut to
/// <see cref="FusionOptions.K"/>. Min-max normalization maps a query's scores in one run to (s − min) / (max − min),
/// and to 1 when they are all equal (a lone hit keeps full weight rather than vanishing).
/// </summary>
public static class RunFusion
{
    public static Dictionary<string, IReadOnlyList<Hit>> Fuse(IReadOnlyList<IReadOnlyDictionary<string, IReadOnlyList<Hit>>> runs, FusionOptions options)
    {
        if (runs.Count < 2)
        {
            throw new InvalidSettingException($"fusion needs at least two runs, got {runs.Count}");
        }

        if (options.Method == FusionMethod.Interpolation && runs.Count != 2)
        {
            throw new InvalidSettingException($"interpolation fuses exactly two runs, got {runs.Count}");
        }

        var fused = new Dictionary<string, IReadOnlyList<Hit>>(StringComparer.Ordinal);
        foreach (var queryId in runs.SelectMany(r => r.Keys).Distinct(StringComparer.Ordinal))
        {
            var scores = new Dictionary<string, double>(StringComparer.Ordinal);
            for (var r = 0; r < runs.Count; r++)
            {
                var hits = RankedList.TrecOrder(runs[r].GetValueOrDefault(queryId) ?? []).Take(options.Depth).ToArray();
                var contributions = Contributions(hits, options, r);
                for (var i = 0; i < hits.Length; i++)
                {
                    scores[hits[i].DocId] = scores.GetValueOrDefault(hits[i].DocId) + contributions[i];
                }
            }

            var scale = options.Method == FusionMethod.Average ? 1.0 / runs.Count : 1.0;
            fused[queryId] = RankedList.TrecOrder(scores.Select(e => new Hit(e.Key, (float)(e.Value * scale)))).Take(options.K).ToArray();
        }

        return fused;
    }

    /// <summary>What each of one run's hits (in rank order) adds to its document's fused score.</summary>
    private static double[] Contributions(Hit[] hits, FusionOptions options, int runIndex)
    {
        if (options.Method == FusionMethod.Rrf)
        {
            return hits.Select((_, rank) => 1.0 / (options.RrfK + rank + 1)).ToArray();
        }

        var scores = hits.Select(h => (double)h.Score).ToArray();
        if (options.MinMaxNormalization)
        {
            scores = Index.MultiField.FieldFusion.Normalize(scores, Index.MultiField.ScoreNormalization.MinMax);
        }

        var weight = options.Method == FusionMethod.Interpolation ? (runIndex == 0 ? options.Alpha : 1 - options.Alpha) : 1.0;
        return scores.Select(s => weight * s).ToArray();
    }
}
