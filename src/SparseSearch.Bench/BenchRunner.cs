using System.Diagnostics;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using SparseSearch.Bench.Synthetic;
using SparseSearch.Core;
using SparseSearch.Encoding;
using SparseSearch.Index;
using SparseSearch.Index.Filters;
using SparseSearch.Index.Impact;
using SparseSearch.Index.Impact.TopK;

namespace SparseSearch.Bench;

/// <summary>
/// <c>sparse bench</c>: one process, one corpus, every top-k algorithm and Lucene's own BM25, timed query by query in
/// alternation, with the ratios the performance goals are stated in. Pruned results are checked against exhaustive
/// ones on every query of the warm-up pass.
/// </summary>
public static class BenchRunner
{
    public const string BlockMaxScore = "block_max_score";
    public const string Exhaustive = "exhaustive";
    public const string LuceneImpactBoolean = "lucene_impact_boolean";
    public const string LuceneBm25 = "lucene_bm25";

    /// <summary>In the filtered figures: the same queries without the filter, pruned.</summary>
    public const string Unfiltered = "unfiltered_block_max_score";

    /// <summary>In the filtered figures: the same filters searched by reading postings only (no forward-index scoring).</summary>
    public const string PostingsOnly = "block_max_score_postings_only";

    public static BenchReport Run(BenchOptions options, IProgress<JobProgress>? progress = null, CancellationToken cancellation = default)
    {
        var corpus = new SyntheticCorpus(options.Corpus);
        var work = Path.Combine(options.WorkDirectory, $"{options.Corpus.Documents}-seed{options.Corpus.Seed}");
        var impactFigures = SyntheticIndexes.BuildImpact(corpus, Path.Combine(work, "impact"), options.Rebuild, options.Approximate, progress, cancellation);
        impactFigures = impactFigures with { ApproximateFileBytes = SyntheticIndexes.ApproximateFileBytes(impactFigures.Path) };
        using var impact = ImpactIndexSearcher.Open(impactFigures.Path, IndexManifest.Read(impactFigures.Path));
        var queryEncoder = SyntheticIndexes.Encoder.CreateQueryEncoder(impact);
        var k = options.K;
        var inferenceFree = corpus.InferenceFreeQueries.Select(tokens => (Tokens: tokens, Vector: queryEncoder.Encode(string.Join(' ', tokens)))).ToArray();
        var expanded = corpus.ExpandedQueries;
        var shape = CorpusShape.Measure(corpus);
        if (options.FilteredOnly)
        {
            var filtered = Filtered(options, impact, inferenceFree.Select(q => q.Vector).ToArray(), expanded, cancellation);
            return new BenchReport(options.Corpus.Documents, options.Corpus.Seed, k, impactFigures, null, null, null,
                new SortedDictionary<string, double>(FilteredRatios(filtered).ToDictionary(), StringComparer.Ordinal), Process.GetCurrentProcess().PeakWorkingSet64)
            {
                Filtered = filtered,
                FilterSelectivity = (double)options.FilterBuckets / SyntheticCorpus.Buckets,
                Shape = shape,
            };
        }

        var approximate = ApproximateBench.Run(options, impact, impactFigures, new Dictionary<string, IReadOnlyList<SparseVector>>
        {
            ["inference_free"] = inferenceFree.Select(q => q.Vector).ToArray(),
            ["expanded"] = expanded,
        }, impactFigures.ApproximateSeconds, cancellation);
        var approximateRatios = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["approximate_bytes_vs_impact_index"] = approximate.BytesVsImpactIndex,
        };
        foreach (var (name, curve) in approximate.Curves)
        {
            foreach (var recall in new[] { 0.97, 0.99 })
            {
                if (curve.FastestAt(recall) is { } best)
                {
                    approximateRatios[$"{name}_approximate_p50_vs_exact_pruned_at_recall_{recall:F2}"] = best.P50VsExactPruned;
                }
            }
        }

        if (options.ApproximateOnly)
        {
            return new BenchReport(options.Corpus.Documents, options.Corpus.Seed, k, impactFigures, null, null, null, approximateRatios,
                Process.GetCurrentProcess().PeakWorkingSet64)
            {
                Approximate = approximate,
                Shape = shape,
            };
        }

        var bm25Figures = SyntheticIndexes.BuildLuceneBm25(corpus, Path.Combine(work, "lucene-bm25"), options.Rebuild, progress, cancellation);
        using var bm25Directory = FSDirectory.Open(bm25Figures.Path);
        using var bm25Reader = DirectoryReader.Open(bm25Directory);
        var bm25 = new IndexSearcher(bm25Reader) { Similarity = new BM25Similarity(SyntheticIndexes.K1, SyntheticIndexes.B) };
        var inferenceFreeFigures = Measure(options, inferenceFree.Select(q => q.Vector).ToArray(), new Dictionary<string, Func<int, TopDocs>>
        {
            [BlockMaxScore] = i => impact.SearchTopDocs(inferenceFree[i].Vector, k, TopKAlgorithm.BlockMaxScore),
            [Exhaustive] = i => impact.SearchTopDocs(inferenceFree[i].Vector, k, TopKAlgorithm.Exhaustive),
            [LuceneImpactBoolean] = i => impact.SearchTopDocs(inferenceFree[i].Vector, k, TopKAlgorithm.LuceneBoolean),
            [LuceneBm25] = i => bm25.Search(Bm25Query(inferenceFree[i].Tokens), k),
        }, cancellation);

        var expandedFigures = Measure(options, expanded, new Dictionary<string, Func<int, TopDocs>>
        {
            [BlockMaxScore] = i => impact.SearchTopDocs(expanded[i], k, TopKAlgorithm.BlockMaxScore),
            [Exhaustive] = i => impact.SearchTopDocs(expanded[i], k, TopKAlgorithm.Exhaustive),
            [LuceneImpactBoolean] = i => impact.SearchTopDocs(expanded[i], k, TopKAlgorithm.LuceneBoolean),
        }, cancellation);

        var filteredFigures = Filtered(options, impact, inferenceFree.Select(q => q.Vector).ToArray(), expanded, cancellation);
        var ratios = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["inference_free_pruned_vs_lucene_bm25_p50"] = P50(inferenceFreeFigures, BlockMaxScore) / P50(inferenceFreeFigures, LuceneBm25),
            ["inference_free_exhaustive_vs_pruned_p50"] = P50(inferenceFreeFigures, Exhaustive) / P50(inferenceFreeFigures, BlockMaxScore),
            ["expanded_exhaustive_vs_pruned_p50"] = P50(expandedFigures, Exhaustive) / P50(expandedFigures, BlockMaxScore),
            ["expanded_lucene_impact_boolean_vs_pruned_p50"] = P50(expandedFigures, LuceneImpactBoolean) / P50(expandedFigures, BlockMaxScore),
        };
        foreach (var (name, value) in approximateRatios.Concat(FilteredRatios(filteredFigures)))
        {
            ratios[name] = value;
        }

        return new BenchReport(options.Corpus.Documents, options.Corpus.Seed, k, impactFigures, bm25Figures, inferenceFreeFigures, expandedFigures, ratios,
            Process.GetCurrentProcess().PeakWorkingSet64)
        {
            Filtered = filteredFigures,
            FilterSelectivity = (double)options.FilterBuckets / SyntheticCorpus.Buckets,
            Approximate = approximate,
            Shape = shape,
        };
    }

    private static double P50(QuerySetFigures figures, string algorithm) => figures.Algorithms[algorithm].P50Ms;

    private static BooleanQuery Bm25Query(string[] tokens)
    {
        var query = new BooleanQuery();
        foreach (var token in tokens)
        {
            query.Add(new TermQuery(new Term(IndexFields.Contents, token)), Occur.SHOULD);
        }

        return query;
    }

    private static QuerySetFigures Measure(BenchOptions options, IReadOnlyList<SparseVector> queries, Dictionary<string, Func<int, TopDocs>> algorithms,
        CancellationToken cancellation)
    {
        // Warm-up pass (JIT, page cache), which also checks that pruning changed no result.
        var identical = 0;
        for (var q = 0; q < queries.Count; q++)
        {
            var results = algorithms.ToDictionary(a => a.Key, a => a.Value(q));
            identical += SameTopK(results[BlockMaxScore], results[Exhaustive]) ? 1 : 0;
        }

        var names = algorithms.Keys.ToArray();
        var latencies = names.ToDictionary(n => n, _ => new List<double>());
        for (var round = 0; round < options.Rounds; round++)
        {
            for (var q = 0; q < queries.Count; q++)
            {
                cancellation.ThrowIfCancellationRequested();
                for (var a = 0; a < names.Length; a++)
                {
                    var name = names[(a + q + round) % names.Length];
                    var clock = Stopwatch.StartNew();
                    algorithms[name](q);
                    latencies[name].Add(clock.Elapsed.TotalMilliseconds);
                }
            }
        }

        return new QuerySetFigures(queries.Count, queries.Average(v => v.Count),
            latencies.ToDictionary(e => e.Key, e => LatencyStats.From(e.Value)), identical);
    }

    private static bool SameTopK(TopDocs pruned, TopDocs exhaustive) =>
        pruned.ScoreDocs.Length == exhaustive.ScoreDocs.Length
        && pruned.ScoreDocs.Zip(exhaustive.ScoreDocs).All(p => p.First.Doc == p.Second.Doc && p.First.Score.Equals(p.Second.Score));

    /// <summary>
    /// A filter of FilterBuckets of the thousand buckets (a different range per query), searched pruned as configured,
    /// pruned reading postings only, exhaustively, and the same queries unfiltered.
    /// </summary>
    private static Dictionary<string, QuerySetFigures> Filtered(BenchOptions options, ImpactIndexSearcher impact, IReadOnlyList<SparseVector> inferenceFree,
        IReadOnlyList<SparseVector> expanded, CancellationToken cancellation)
    {
        var k = options.K;
        var buckets = options.FilterBuckets;
        var filterFor = (int i) => new RangeFilter("bucket", FilterValue.Of(i * 37 % (SyntheticCorpus.Buckets - buckets)), true,
            FilterValue.Of((i * 37 % (SyntheticCorpus.Buckets - buckets)) + buckets), false);
        var postingsOnly = ImpactIndexSearcher.Over(impact.Reader, impact.Manifest);
        postingsOnly.ForwardFilterFraction = 0;
        return new[] { ("inference_free", inferenceFree), ("expanded", expanded) }.ToDictionary(set => set.Item1, set =>
        {
            var queries = set.Item2;
            return Measure(options, queries, new Dictionary<string, Func<int, TopDocs>>
            {
                [BlockMaxScore] = i => impact.SearchTopDocs(queries[i], k, TopKAlgorithm.BlockMaxScore, filter: filterFor(i)),
                [PostingsOnly] = i => postingsOnly.SearchTopDocs(queries[i], k, TopKAlgorithm.BlockMaxScore, filter: filterFor(i)),
                [Exhaustive] = i => impact.SearchTopDocs(queries[i], k, TopKAlgorithm.Exhaustive, filter: filterFor(i)),
                [Unfiltered] = i => impact.SearchTopDocs(queries[i], k, TopKAlgorithm.BlockMaxScore),
            }, cancellation);
        });
    }

    private static IEnumerable<KeyValuePair<string, double>> FilteredRatios(Dictionary<string, QuerySetFigures> filtered) =>
        filtered.SelectMany(set => new[]
        {
            KeyValuePair.Create($"{set.Key}_filtered_vs_unfiltered_p50", P50(set.Value, BlockMaxScore) / P50(set.Value, Unfiltered)),
            KeyValuePair.Create($"{set.Key}_filtered_vs_postings_only_p50", P50(set.Value, BlockMaxScore) / P50(set.Value, PostingsOnly)),
        });
}
