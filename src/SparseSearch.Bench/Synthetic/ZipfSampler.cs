namespace SparseSearch.Bench.Synthetic;

/// <summary>
/// Draws vocabulary ranks from a Zipf–Mandelbrot law, P(rank r) ∝ 1 / (r + offset)^exponent, in constant time with
/// Walker's alias method (Vose's construction): one uniform draw picks a column and a coin whether to keep it or take
/// its alias. A binary search over the cumulative distribution was the bench's single largest indexing cost: a million
/// documents draw 175 million terms. The offset flattens the head so the commonest terms are in most documents, not all.
/// </summary>
internal sealed class ZipfSampler
{
    private readonly double[] _keep;
    private readonly int[] _alias;

    public ZipfSampler(int size, double exponent, double offset)
    {
        var probability = new double[size];
        var sum = 0.0;
        for (var r = 0; r < size; r++)
        {
            probability[r] = 1 / Math.Pow(r + 1 + offset, exponent);
            sum += probability[r];
        }

        _keep = new double[size];
        _alias = new int[size];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (var r = size - 1; r >= 0; r--)
        {
            probability[r] *= size / sum;
            (probability[r] < 1 ? small : large).Push(r);
        }

        while (small.Count > 0 && large.Count > 0)
        {
            var low = small.Pop();
            var high = large.Peek();
            _keep[low] = probability[low];
            _alias[low] = high;
            probability[high] -= 1 - probability[low];
            if (probability[high] < 1)
            {
                small.Push(large.Pop());
            }
        }

        // What is left has probability 1 up to rounding: always kept.
        foreach (var r in small.Concat(large))
        {
            _keep[r] = 1;
            _alias[r] = r;
        }
    }

    public int Size => _keep.Length;

    public int Sample(ref SplitMix64 random)
    {
        var u = random.NextDouble() * _keep.Length;
        var column = Math.Min((int)u, _keep.Length - 1);
        return u - column < _keep[column] ? column : _alias[column];
    }
}
