using SparseSearch.Core;

namespace SparseSearch.Evaluation.Metrics;

/// <summary>
/// The per-query measures, with trec_eval (and so pytrec_eval and BEIR) semantics: a document is relevant when its
/// grade is at least 1; nDCG uses the grades as gains with a log2(rank + 1) discount and the ideal ranking of all judged
/// documents; MAP, recall and nDCG divide by every relevant judged document, retrieved or not.
/// </summary>
public static class QueryMetrics
{
    public const string Ndcg10 = "nDCG@10";
    public const string Map = "MAP";
    public const string P30 = "P@30";
    public const string Recall100 = "R@100";
    public const string Recall1000 = "R@1000";
    public const string Mrr10 = "MRR@10";

    /// <summary>Measures in report order.</summary>
    public static IReadOnlyList<string> Names { get; } = [Ndcg10, Map, P30, Recall100, Recall1000, Mrr10];

    /// <param name="hits">The query's hits in any order; they are put in trec_eval order here.</param>
    public static Dictionary<string, double> Evaluate(IEnumerable<Hit> hits, IReadOnlyDictionary<string, int> judged, int mapDepth = 1000)
    {
        var ranked = RankedList.TrecOrder(hits);
        var relevantTotal = judged.Values.Count(g => g > 0);
        return new Dictionary<string, double>
        {
            [Ndcg10] = NdcgAt(ranked, judged, 10),
            [Map] = AveragePrecision(ranked, judged, relevantTotal, mapDepth),
            [P30] = PrecisionAt(ranked, judged, 30),
            [Recall100] = RecallAt(ranked, judged, relevantTotal, 100),
            [Recall1000] = RecallAt(ranked, judged, relevantTotal, 1000),
            [Mrr10] = ReciprocalRankAt(ranked, judged, 10),
        };
    }

    private static bool IsRelevant(IReadOnlyDictionary<string, int> judged, string doc) => judged.TryGetValue(doc, out var g) && g > 0;

    public static double NdcgAt(Hit[] ranked, IReadOnlyDictionary<string, int> judged, int k)
    {
        double dcg = 0;
        for (var i = 0; i < Math.Min(k, ranked.Length); i++)
        {
            if (judged.TryGetValue(ranked[i].DocId, out var gain) && gain > 0)
            {
                dcg += gain / Math.Log2(i + 2);
            }
        }

        var ideal = judged.Values.Where(g => g > 0).OrderDescending().Take(k).Select((g, i) => g / Math.Log2(i + 2)).Sum();
        return ideal > 0 ? dcg / ideal : 0;
    }

    public static double AveragePrecision(Hit[] ranked, IReadOnlyDictionary<string, int> judged, int relevantTotal, int depth)
    {
        if (relevantTotal == 0)
        {
            return 0;
        }

        double sum = 0;
        var found = 0;
        for (var i = 0; i < Math.Min(depth, ranked.Length); i++)
        {
            if (IsRelevant(judged, ranked[i].DocId))
            {
                found++;
                sum += (double)found / (i + 1);
            }
        }

        return sum / relevantTotal;
    }

    /// <summary>Relevant documents in the first k over k (trec_eval's P_k: fewer than k retrieved still divides by k).</summary>
    public static double PrecisionAt(Hit[] ranked, IReadOnlyDictionary<string, int> judged, int k) =>
        (double)ranked.Take(k).Count(h => IsRelevant(judged, h.DocId)) / k;

    public static double RecallAt(Hit[] ranked, IReadOnlyDictionary<string, int> judged, int relevantTotal, int k) =>
        relevantTotal == 0 ? 0 : (double)ranked.Take(k).Count(h => IsRelevant(judged, h.DocId)) / relevantTotal;

    public static double ReciprocalRankAt(Hit[] ranked, IReadOnlyDictionary<string, int> judged, int k)
    {
        for (var i = 0; i < Math.Min(k, ranked.Length); i++)
        {
            if (IsRelevant(judged, ranked[i].DocId))
            {
                return 1d / (i + 1);
            }
        }

        return 0;
    }
}
