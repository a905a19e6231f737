using System.Diagnostics;

namespace SparseSearch.Index.Approximate;

/// <summary>
/// Process-wide time spent turning collected postings into approximate structures and writing them (the codec runs
/// inside Lucene's flushes and merges, where no caller can time it): what a build job and the bench report as the
/// structures' build seconds. Collecting the postings as they stream by is not counted.
/// </summary>
public static class ApproximateBuildClock
{
    private static long _ticks;

    public static double Seconds => (double)Interlocked.Read(ref _ticks) / Stopwatch.Frequency;

    internal static void Add(long ticks) => Interlocked.Add(ref _ticks, ticks);
}
