namespace SparseSearch.Bench;

/// <summary>Latency percentiles of one algorithm over one query set (nearest-rank percentiles, milliseconds).</summary>
public sealed record LatencyStats(int Samples, double P50Ms, double P99Ms, double MeanMs, double Qps)
{
    public static LatencyStats From(IReadOnlyCollection<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        var mean = sorted.Average();
        return new LatencyStats(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.99), mean, 1000 / mean);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
