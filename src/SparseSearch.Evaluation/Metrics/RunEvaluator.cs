using SparseSearch.Core;
using SparseSearch.Evaluation.Beir;

namespace SparseSearch.Evaluation.Metrics;

/// <summary>Mean of each measure over the run's queries, with trec_eval's rules for which queries count.</summary>
public static class RunEvaluator
{
    /// <summary>
    /// Averages each measure over the judged queries. With <paramref name="complete"/> (trec_eval -c, the default of
    /// Anserini's BEIR regressions) every judged query counts, zero when the run has no hits for it; without, only
    /// judged queries with at least one hit count (trec_eval's default, pytrec_eval and BEIR). Unjudged queries never count.
    /// </summary>
    public static RunMetrics Evaluate(IReadOnlyDictionary<string, IReadOnlyList<Hit>> run, Qrels qrels, bool complete = true)
    {
        var perQuery = new SortedDictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        var queryIds = complete ? qrels.QueryIds : run.Where(e => e.Value.Count > 0).Select(e => e.Key);
        foreach (var queryId in queryIds)
        {
            if (!qrels.HasJudgements(queryId))
            {
                continue;
            }

            perQuery[queryId] = QueryMetrics.Evaluate(run.GetValueOrDefault(queryId) ?? [], qrels.For(queryId));
        }

        var means = QueryMetrics.Names.ToDictionary(
            name => name,
            name => perQuery.Count == 0 ? 0 : perQuery.Values.Average(m => m[name]));
        return new RunMetrics(means, perQuery);
    }
}

/// <summary>Means over queries, and each evaluated query's measures.</summary>
public sealed record RunMetrics(IReadOnlyDictionary<string, double> Means, IReadOnlyDictionary<string, Dictionary<string, double>> PerQuery)
{
    public int QueriesEvaluated => PerQuery.Count;
}
