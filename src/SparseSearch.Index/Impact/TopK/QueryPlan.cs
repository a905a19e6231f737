using SparseSearch.Core;

namespace SparseSearch.Index.Impact.TopK;

/// <summary>
/// A query prepared for the impact postings: each term's weight in fixed point, so a document's score is an exact
/// integer sum (weight × impact) that does not depend on the order terms are added in. Pruned and exhaustive scoring
/// therefore agree bit for bit, ties included, whatever order pruning visits terms in. The fixed-point unit is chosen
/// per query as fine as the largest possible score allows without overflow (the largest possible score spans 2^61 units or more),
/// far below float precision of the reported score.
/// </summary>
internal sealed class QueryPlan
{
    private const double MaxTotal = 4.0e18; // below long.MaxValue (9.2e18) with room to spare

    private QueryPlan(string[] terms, long[] weights, int[] ascendingBounds, double unit)
    {
        Terms = terms;
        Weights = weights;
        AscendingBounds = ascendingBounds;
        Unit = unit;
    }

    public string[] Terms { get; }

    /// <summary>Fixed-point weights: a posting with impact f adds Weights[i] × f to the score sum.</summary>
    public long[] Weights { get; }

    /// <summary>Term indexes in ascending order of weight × the term's largest impact anywhere in the index.</summary>
    public int[] AscendingBounds { get; }

    /// <summary>Score = sum × Unit (the fixed-point step divided by the quantization scale).</summary>
    public double Unit { get; }

    public int Count => Terms.Length;

    /// <summary>True when every weight is positive, which pruning's bounds assume.</summary>
    public bool AllPositive => Weights.All(w => w > 0);

    /// <param name="maxImpact">A term's largest impact in the searched reader (0: absent), from the segments' own bounds.</param>
    public static QueryPlan Create(SparseVector query, Func<string, int> maxImpact, float scale)
    {
        // Terms absent from the index (bound 0) never match; ordinal order keeps plans deterministic.
        var entries = query.Weights
            .Select(e => (Term: e.Key, Weight: (double)e.Value, MaxImpact: maxImpact(e.Key)))
            .Where(e => e.MaxImpact > 0)
            .OrderBy(e => e.Term, StringComparer.Ordinal)
            .ToArray();
        var largest = entries.Sum(e => Math.Abs(e.Weight) * e.MaxImpact);
        // As fine as the largest possible score allows, however small or large the weights: a fixed cap on the step
        // (2^-40 once) rounded tiny weights to a few units and cost whole percents of their scores.
        var factor = Math.ScaleB(1.0, largest > 0 ? (int)Math.Floor(Math.Log2(MaxTotal / largest)) : 0);
        var weights = entries.Select(e => (long)Math.Round(e.Weight * factor, MidpointRounding.AwayFromZero)).ToArray();
        var ascending = Enumerable.Range(0, entries.Length).OrderBy(i => weights[i] * entries[i].MaxImpact).ThenBy(i => i).ToArray();
        return new QueryPlan(entries.Select(e => e.Term).ToArray(), weights, ascending, 1.0 / factor / scale);
    }
}
