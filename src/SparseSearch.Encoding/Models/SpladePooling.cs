using System.Numerics.Tensors;

namespace SparseSearch.Encoding.Models;

/// <summary>
/// SPLADE's pooling of raw MLM logits on the host: max over the unmasked positions of log1p(relu(x)) (twice log1p for
/// the "l0" models). The activation is monotone, so it is applied once to each term's largest logit rather than to
/// every position; positions are read in memory order.
/// </summary>
public static class SpladePooling
{
    /// <param name="logits">One text's logits, [positions, width] row-major.</param>
    /// <param name="realLength">Positions that hold tokens (the rest is padding).</param>
    /// <param name="pooled">Receives the width term weights.</param>
    public static void Pool(ReadOnlySpan<float> logits, int width, int realLength, bool doubleLog, Span<float> pooled)
    {
        pooled.Clear();
        for (var p = 0; p < realLength; p++)
        {
            TensorPrimitives.Max(pooled, logits.Slice(p * width, width), pooled);
        }

        for (var v = 0; v < width; v++)
        {
            if (pooled[v] > 0)
            {
                var w = double.LogP1(pooled[v]);
                pooled[v] = (float)(doubleLog ? double.LogP1((float)w) : w);
            }
        }
    }
}
