using System.Collections.Concurrent;
using System.Diagnostics;
using SparseSearch.Core;
using SparseSearch.Index;

namespace SparseSearch.Evaluation;

/// <summary>
/// Runs many queries against one engine, in parallel, into a run (query id -> hits): what <c>eval</c> and
/// <c>search --topics</c> share, so the same index and queries give the same run, byte for byte, from either.
/// </summary>
public static class BatchSearch
{
    /// <param name="dropSelfHit">Whether to drop a hit whose id equals its query's (see <see cref="SelfHits"/>).</param>
    /// <param name="filter">A metadata filter every query runs under, or null.</param>
    public static (IReadOnlyDictionary<string, IReadOnlyList<Hit>> Run, int SelfHitsDropped, TimeSpan Elapsed) Run(ISearchEngine engine,
        IReadOnlyList<QueryText> queries, int hits, int parallelism, bool dropSelfHit = false, IProgress<JobProgress>? progress = null,
        CancellationToken cancellation = default, Index.Filters.SearchFilter? filter = null)
    {
        var run = new ConcurrentDictionary<string, IReadOnlyList<Hit>>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var done = 0;
        var dropped = 0;
        Parallel.ForEach(queries, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellation }, query =>
        {
            IReadOnlyList<Hit> found = engine.Search(query.Text, hits, filter);
            if (dropSelfHit)
            {
                var kept = found.Where(h => h.DocId != query.Id).ToArray();
                Interlocked.Add(ref dropped, found.Count - kept.Length);
                found = kept;
            }

            run[query.Id] = found;
            progress?.Report(new JobProgress("search", Interlocked.Increment(ref done), queries.Count, clock.Elapsed));
        });
        return (run.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal), dropped, clock.Elapsed);
    }
}
