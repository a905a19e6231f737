using SparseSearch.Core;
using SparseSearch.Evaluation.Beir;

namespace SparseSearch.Evaluation.Metrics;

/// <summary>Mean of each measure over the run's queries, with trec_eval's rules for which queries count.</summary>
public static class RunEvaluator
{
    /// <summary>
    /// Averages over queries that have judgements and at least one hit: trec_eval (without -c), pytrec_eval and BEIR
    /// all leave out a query absent from the run. Queries without judgements are skipped.
    /// </summary>
    public static RunMetrics Evaluate(IReadOnlyDictionary<string, IReadOnlyList<Hit>> run, Qrels qrels)
    {
        var perQuery = new SortedDictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        foreach (var (queryId, hits) in run)
        {
            if (hits.Count == 0 || !qrels.HasJudgements(queryId))
            {
                continue;
            }

            perQuery[queryId] = QueryMetrics.Evaluate(hits, qrels.For(queryId));
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
