namespace SparseSearch.Bench.Synthetic;

/// <summary>
/// Draws vocabulary ranks from a Zipf–Mandelbrot law, P(rank r) ∝ 1 / (r + offset)^exponent, by binary search over the
/// cumulative distribution. The offset flattens the head so the commonest terms are in most documents, not all.
/// </summary>
internal sealed class ZipfSampler
{
    private readonly double[] _cumulative;

    public ZipfSampler(int size, double exponent, double offset)
    {
        _cumulative = new double[size];
        var sum = 0.0;
        for (var r = 0; r < size; r++)
        {
            sum += 1 / Math.Pow(r + 1 + offset, exponent);
            _cumulative[r] = sum;
        }

        for (var r = 0; r < size; r++)
        {
            _cumulative[r] /= sum;
        }
    }

    public int Size => _cumulative.Length;

    public int Sample(ref SplitMix64 random)
    {
        var index = Array.BinarySearch(_cumulative, random.NextDouble());
        return Math.Min(index < 0 ? ~index : index, _cumulative.Length - 1);
    }
}
