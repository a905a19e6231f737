using System.Diagnostics;
using Lucene.Net.Search;
using SparseSearch.Core;
using SparseSearch.Index.Approximate;
using SparseSearch.Index.Impact;
using SparseSearch.Index.Impact.TopK;

namespace SparseSearch.Bench;

/// <summary>One approximate setting over one query set: latency, recall@k against exact top k, and the ratio to exact.</summary>
public sealed record ApproximatePoint(string QueryTerms, string Candidates, double P50Ms, double P99Ms, double MeanRecall, double MinRecall,
    double P50VsExactPruned);

/// <summary>The recall/latency curve of one query set, with the exact pruned search timed in the same run as its baseline.</summary>
public sealed record ApproximateCurve(int Queries, LatencyStats ExactPruned, IReadOnlyList<ApproximatePoint> Points)
{
    /// <summary>The fastest setting reaching a mean recall of at least <paramref name="recall"/>, or null.</summary>
    public ApproximatePoint? FastestAt(double recall) => Points.Where(p => p.MeanRecall >= recall).MinBy(p => p.P50Ms);
}

/// <summary>What the approximate structures weigh and the curves over both query sets.</summary>
public sealed record ApproximateFigures(int Segments, long Bytes, double BytesPerDocument, double BytesVsImpactIndex, double? BuildSeconds,
    IReadOnlyDictionary<string, ApproximateCurve> Curves)
{
    public long FileBytes { get; init; }

    public double FileBytesVsImpactIndex { get; init; }
}

/// <summary>
/// Sweeps the query-time knobs of approximate search over a grid and measures, per setting, p50/p99 latency and
/// recall@k against the exact top k (computed once per query); settings alternate query by query as in the main bench.
/// </summary>
public static class ApproximateBench
{
    public static ApproximateFigures Run(BenchOptions options, ImpactIndexSearcher impact, IndexFigures impactFigures,
        IReadOnlyDictionary<string, IReadOnlyList<SparseVector>> querySets, double? buildSeconds, CancellationToken cancellation)
    {
        var curves = new SortedDictionary<string, ApproximateCurve>(StringComparer.Ordinal);
        foreach (var (name, queries) in querySets)
        {
            curves[name] = Sweep(options, impact, queries, cancellation);
        }

        // Against the impact index without them: the files they add, and what they hold in memory once loaded.
        var bytes = impact.ApproximateBytes;
        var indexBytes = (double)(impactFigures.Bytes - impactFigures.ApproximateFileBytes);
        return new ApproximateFigures(impact.ApproximateSegmentCount, bytes, (double)bytes / Math.Max(1, impactFigures.Documents),
            indexBytes > 0 ? bytes / indexBytes : 0, buildSeconds, curves)
        {
            FileBytes = impactFigures.ApproximateFileBytes,
            FileBytesVsImpactIndex = indexBytes > 0 ? impactFigures.ApproximateFileBytes / indexBytes : 0,
        };
    }

    private static ApproximateCurve Sweep(BenchOptions options, ImpactIndexSearcher impact, IReadOnlyList<SparseVector> queries, CancellationToken cancellation)
    {
        var k = options.K;
        var exact = queries.Select(q => impact.SearchTopDocs(q, k)).ToArray();
        var settings = options.ApproximateQueryTerms.SelectMany(t => options.ApproximateCandidates.Select(c => new ApproximateSearchSettings
        {
            QueryTerms = t,
            Candidates = c,
        })).ToArray();
        var recalls = settings.Select(s => queries.Select((q, i) => Recall(exact[i], impact.SearchTopDocs(q, k, approximate: s))).ToArray()).ToArray();

        // Timed: the exact pruned search (the last index) and every setting, each over all queries in turn, the order of
        // settings rotating from round to round. Setting after setting on one query measured the later ones warm: they
        // found the same pruned lists and forward entries in cache (1.2 against 1.8 ms at the defaults on 1M documents).
        var latencies = Enumerable.Range(0, settings.Length + 1).Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < options.Rounds; round++)
        {
            for (var n = 0; n <= settings.Length; n++)
            {
                var which = (n + round) % (settings.Length + 1);
                for (var q = 0; q < queries.Count; q++)
                {
                    cancellation.ThrowIfCancellationRequested();
                    var clock = Stopwatch.StartNew();
                    _ = which == settings.Length ? impact.SearchTopDocs(queries[q], k) : impact.SearchTopDocs(queries[q], k, approximate: settings[which]);
                    latencies[which].Add(clock.Elapsed.TotalMilliseconds);
                }
            }
        }

        var exactStats = LatencyStats.From(latencies[settings.Length]);
        var points = settings.Select((s, n) =>
        {
            var stats = LatencyStats.From(latencies[n]);
            return new ApproximatePoint(ApproximateSearchSettings.Format(s.QueryTerms), ApproximateSearchSettings.Format(s.Candidates), stats.P50Ms, stats.P99Ms, recalls[n].Average(), recalls[n].Min(),
                stats.P50Ms / exactStats.P50Ms);
        }).ToArray();
        return new ApproximateCurve(queries.Count, exactStats, points);
    }

    /// <summary>Share of the exact top k's documents that the approximate top k holds (1 when the exact list is empty).</summary>
    public static double Recall(TopDocs exact, TopDocs approximate)
    {
        if (exact.ScoreDocs.Length == 0)
        {
            return 1;
        }

        var found = approximate.ScoreDocs.Select(d => d.Doc).ToHashSet();
        return exact.ScoreDocs.Count(d => found.Contains(d.Doc)) / (double)exact.ScoreDocs.Length;
    }

}
