using SparseSearch.Core;

namespace SparseSearch.Evaluation.Metrics;

/// <summary>Orders a query's hits as trec_eval does before measuring: score descending, ties by doc id descending.</summary>
public static class RankedList
{
    public static Hit[] TrecOrder(IEnumerable<Hit> hits)
    {
        var ordered = hits.ToArray();
        Array.Sort(ordered, static (x, y) =>
        {
            var byScore = y.Score.CompareTo(x.Score);
            return byScore != 0 ? byScore : string.CompareOrdinal(y.DocId, x.DocId);
        });
        return ordered;
    }
}
