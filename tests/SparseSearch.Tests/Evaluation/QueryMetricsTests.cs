using SparseSearch.Core;
using SparseSearch.Evaluation.Beir;
using SparseSearch.Evaluation.Metrics;

namespace SparseSearch.Tests.Evaluation;

/// <summary>
/// Hand-computed references. Judgements: A=2, B=1, C=0, D=1 (three relevant). Run: X 3.0, A 2.0, C 2.0, B 1.0.
/// trec_eval breaks the A/C tie by doc id descending, so the ranking it measures is X, C, A, B.
/// </summary>
public class QueryMetricsTests
{
    private static readonly Dictionary<string, int> Judged = new() { ["A"] = 2, ["B"] = 1, ["C"] = 0, ["D"] = 1 };
    private static readonly Hit[] Run = [new("X", 3f), new("A", 2f), new("C", 2f), new("B", 1f)];

    private static Dictionary<string, double> Measured => QueryMetrics.Evaluate(Run, Judged);

    [Fact]
    public void Ties_are_broken_by_doc_id_descending() =>
        Assert.Equal(["X", "C", "A", "B"], RankedList.TrecOrder(Run).Select(h => h.DocId));

    [Fact]
    public void Ndcg_at_10_uses_graded_gains_and_the_ideal_ranking_of_all_judgements()
    {
        var dcg = 2 / Math.Log2(4) + 1 / Math.Log2(5); // A at rank 3, B at rank 4
        var ideal = 2 / Math.Log2(2) + 1 / Math.Log2(3) + 1 / Math.Log2(4); // grades 2, 1, 1
        Assert.Equal(dcg / ideal, Measured[QueryMetrics.Ndcg10], 12);
        Assert.Equal(0.45695, Measured[QueryMetrics.Ndcg10], 5);
    }

    [Fact]
    public void Average_precision_divides_by_all_relevant_documents_retrieved_or_not() =>
        Assert.Equal((1d / 3 + 2d / 4) / 3, Measured[QueryMetrics.Map], 12);

    [Fact]
    public void Precision_at_30_divides_by_30_even_when_fewer_are_retrieved() =>
        Assert.Equal(2d / 30, Measured[QueryMetrics.P30], 12);

    [Fact]
    public void Recall_counts_relevant_documents_in_the_cutoff() =>
        Assert.Equal(2d / 3, Measured[QueryMetrics.Recall100], 12);

    [Fact]
    public void Reciprocal_rank_is_that_of_the_first_relevant_hit_after_tie_breaking() =>
        Assert.Equal(1d / 3, Measured[QueryMetrics.Mrr10], 12); // rank 2 (0.5) if ties went by id ascending

    [Fact]
    public void Reciprocal_rank_at_10_ignores_a_first_relevant_hit_below_rank_10()
    {
        var hits = Enumerable.Range(0, 10).Select(i => new Hit($"n{i}", 100 - i)).Append(new Hit("A", 1)).ToArray();
        Assert.Equal(0d, QueryMetrics.Evaluate(hits, Judged)[QueryMetrics.Mrr10]);
    }

    [Fact]
    public void Every_judged_query_counts_zero_when_unanswered_as_trec_eval_dash_c_does()
    {
        var (run, qrels) = RunWithAnUnansweredQuery();
        var metrics = RunEvaluator.Evaluate(run, qrels);

        // Hand-computed: q1 perfect (1), q2 unanswered (0), q4 judged but absent from the run (0); q3 is unjudged.
        Assert.Equal(3, metrics.QueriesEvaluated);
        Assert.Equal(1d / 3, metrics.Means[QueryMetrics.Ndcg10], 12);
        Assert.Equal(0d, metrics.PerQuery["q4"][QueryMetrics.Map]);
    }

    [Fact]
    public void Without_dash_c_only_answered_judged_queries_count()
    {
        var (run, qrels) = RunWithAnUnansweredQuery();
        var metrics = RunEvaluator.Evaluate(run, qrels, complete: false);
        Assert.Equal(1, metrics.QueriesEvaluated);
        Assert.Equal(1d, metrics.Means[QueryMetrics.Ndcg10]);
    }

    private static (Dictionary<string, IReadOnlyList<Hit>> Run, Qrels Qrels) RunWithAnUnansweredQuery() => (
        new Dictionary<string, IReadOnlyList<Hit>>
        {
            ["q1"] = [new Hit("A", 1f)], // perfect
            ["q2"] = [], // no hits: absent from a TREC run
            ["q3"] = [new Hit("C", 1f)], // no judgements
        },
        new Qrels(new Dictionary<string, Dictionary<string, int>>
        {
            ["q1"] = new() { ["A"] = 1 },
            ["q2"] = new() { ["B"] = 1 },
            ["q4"] = new() { ["D"] = 2 },
        }));
}
