using SparseSearch.Index.Impact.TopK;

namespace SparseSearch.Index.Approximate;

/// <summary>
/// A query's fixed-point weights laid out by the segment's term ordinals, what <see cref="ForwardIndex.Score"/> reads.
/// The array is per thread and all zeros between uses (each use clears what it set): a shared pool's arrays come back
/// dirty, and clearing a whole segment's worth per query would cost more than the search.
/// </summary>
internal static class OrdinalWeights
{
    [ThreadStatic]
    private static long[]? _weights;

    /// <summary>Runs <paramref name="score"/> with the plan's weights at <paramref name="ordinals"/> (-1: absent), then clears them.</summary>
    public static void With(int termCount, int[] ordinals, QueryPlan plan, Action<long[]> score)
    {
        if (_weights is null || _weights.Length < termCount)
        {
            _weights = new long[termCount];
        }

        var weights = _weights;
        try
        {
            for (var i = 0; i < ordinals.Length; i++)
            {
                if (ordinals[i] >= 0)
                {
                    weights[ordinals[i]] = plan.Weights[i];
                }
            }

            score(weights);
        }
        finally
        {
            foreach (var ordinal in ordinals)
            {
                if (ordinal >= 0)
                {
                    weights[ordinal] = 0;
                }
            }
        }
    }
}
