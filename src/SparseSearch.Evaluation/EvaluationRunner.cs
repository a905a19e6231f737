using System.Collections.Concurrent;
using System.Diagnostics;
using SparseSearch.Core;
using SparseSearch.Evaluation.Beir;
using SparseSearch.Evaluation.Metrics;
using SparseSearch.Index;

namespace SparseSearch.Evaluation;

/// <summary>Runs every judged query of a dataset against an open index and measures the run.</summary>
public static class EvaluationRunner
{
    public static EvaluationResult Run(ISearchEngine engine, BeirDataset dataset, EvaluationOptions options,
        IProgress<JobProgress>? progress = null, CancellationToken cancellation = default)
    {
        var qrels = Qrels.Load(dataset.QrelsPath);
        var queries = BeirQueries.Load(dataset.QueriesPath).Where(q => qrels.HasJudgements(q.Id)).ToArray();
        var removeSelfHits = options.SelfHits switch
        {
            SelfHitPolicy.Remove => true,
            SelfHitPolicy.Keep => false,
            _ => SelfHits.QueriesAreDocuments(queries, dataset.CorpusPath, cancellation),
        };
        var removed = 0;
        var run = new ConcurrentDictionary<string, IReadOnlyList<Hit>>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var done = 0;
        Parallel.ForEach(queries, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellation }, query =>
        {
            IReadOnlyList<Hit> hits = engine.Search(query.Text, options.Hits);
            if (removeSelfHits)
            {
                var kept = hits.Where(h => h.DocId != query.Id).ToArray();
                Interlocked.Add(ref removed, hits.Count - kept.Length);
                hits = kept;
            }

            run[query.Id] = hits;
            progress?.Report(new JobProgress("search", Interlocked.Increment(ref done), queries.Length, clock.Elapsed));
        });
        clock.Stop();
        var ordered = run.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        return new EvaluationResult(ordered, RunEvaluator.Evaluate(ordered, qrels, options.CompleteQueries), queries.Length, clock.Elapsed, removeSelfHits, removed);
    }
}

/// <summary>A run and its measures.</summary>
public sealed record EvaluationResult(
    IReadOnlyDictionary<string, IReadOnlyList<Hit>> Run,
    RunMetrics Metrics,
    int QueriesRun,
    TimeSpan SearchTime,
    bool SelfHitsRemoved = false,
    int SelfHitCount = 0);
