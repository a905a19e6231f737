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
        var (run, dropped, elapsed) = BatchSearch.Run(engine, queries, options.Hits, options.Parallelism, removeSelfHits, progress, cancellation);
        return new EvaluationResult(run, RunEvaluator.Evaluate(run, qrels, options.CompleteQueries), queries.Length, elapsed, removeSelfHits, dropped);
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
