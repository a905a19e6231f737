using SparseSearch.Core;
using SparseSearch.Evaluation.Fusion;
using SparseSearch.Evaluation.Metrics;

namespace SparseSearch.Tests.Evaluation;

/// <summary>
/// References: fusions of two small runs computed by hand, and a separately written, deliberately naive fuser for
/// random runs (per document: find its rank and score in each run by linear search).
/// </summary>
public class RunFusionTests
{
    private static readonly Dictionary<string, IReadOnlyList<Hit>> A = new() { ["q1"] = [new("d1", 3f), new("d2", 2f), new("d3", 1f)] };
    private static readonly Dictionary<string, IReadOnlyList<Hit>> B = new() { ["q1"] = [new("d3", 10f), new("d4", 5f)] };

    [Fact]
    public void Rrf_sums_one_over_k_plus_rank_and_breaks_ties_as_trec_eval()
    {
        var fused = RunFusion.Fuse([A, B], new FusionOptions())["q1"];
        // d3: 1/63 + 1/61; d1: 1/61; d2 and d4: 1/62 each, tied, so by doc id descending (trec_eval): d4, d2.
        Assert.Equal(["d3", "d1", "d4", "d2"], fused.Select(h => h.DocId));
        Assert.Equal((float)((1.0 / 63) + (1.0 / 61)), fused[0].Score);
        Assert.Equal((float)(1.0 / 62), fused[3].Score);
    }

    [Fact]
    public void Depth_cuts_each_run_before_fusing_and_k_cuts_the_result()
    {
        var fused = RunFusion.Fuse([A, B], new FusionOptions { Depth = 2, K = 3 })["q1"];
        // A keeps d1, d2: d1 1/61, d2 1/62; B: d3 1/61, d4 1/62. Ties by doc id descending, then cut to 3.
        Assert.Equal(["d3", "d1", "d4"], fused.Select(h => h.DocId));
    }

    [Fact]
    public void Average_and_interpolation_of_min_max_normalized_scores()
    {
        // Normalized: A d1 1, d2 0.5, d3 0; B d3 1, d4 0.
        var average = RunFusion.Fuse([A, B], new FusionOptions { Method = FusionMethod.Average, MinMaxNormalization = true })["q1"];
        Assert.Equal([("d3", 0.5f), ("d1", 0.5f), ("d2", 0.25f), ("d4", 0f)], average.Select(h => (h.DocId, h.Score)));

        var interpolated = RunFusion.Fuse([A, B], new FusionOptions { Method = FusionMethod.Interpolation, Alpha = 0.7, MinMaxNormalization = true })["q1"];
        Assert.Equal(["d1", "d2", "d3", "d4"], interpolated.Select(h => h.DocId));
        Assert.Equal([0.7f, 0.35f, 0.3f, 0f], interpolated.Select(h => h.Score));
    }

    [Fact]
    public void Interpolation_needs_exactly_two_runs() =>
        Assert.Throws<InvalidSettingException>(() => RunFusion.Fuse([A, B, A], new FusionOptions { Method = FusionMethod.Interpolation }));

    [Theory]
    [InlineData(FusionMethod.Rrf, false)]
    [InlineData(FusionMethod.Average, true)]
    [InlineData(FusionMethod.Average, false)]
    [InlineData(FusionMethod.Interpolation, true)]
    public void Random_runs_fuse_as_the_naive_reference_does(FusionMethod method, bool minMax)
    {
        var random = new Random(5);
        var runs = Enumerable.Range(0, method == FusionMethod.Interpolation ? 2 : 3).Select(_ => RandomRun(random)).ToArray();
        var options = new FusionOptions { Method = method, MinMaxNormalization = minMax, Depth = 30, K = 25, Alpha = 0.3 };
        var fused = RunFusion.Fuse(runs, options);
        foreach (var (query, hits) in fused)
        {
            var expected = Naive(runs, query, options);
            Assert.Equal(expected.Select(h => h.DocId), hits.Select(h => h.DocId));
            Assert.Equal(expected.Select(h => h.Score), hits.Select(h => h.Score));
        }
    }

    private static Dictionary<string, IReadOnlyList<Hit>> RandomRun(Random random) => Enumerable.Range(0, 8).ToDictionary(
        q => $"q{q}",
        q => (IReadOnlyList<Hit>)Enumerable.Range(0, random.Next(0, 50)).Select(_ => $"d{random.Next(80)}").Distinct()
            .Select(d => new Hit(d, random.Next(4) == 0 ? 1f : (float)(random.NextDouble() * 20))).ToArray());

    private static Hit[] Naive(Dictionary<string, IReadOnlyList<Hit>>[] runs, string query, FusionOptions options)
    {
        var lists = runs.Select(r => RankedList.TrecOrder(r.GetValueOrDefault(query) ?? []).Take(options.Depth).ToList()).ToArray();
        var documents = lists.SelectMany(l => l.Select(h => h.DocId)).Distinct().ToList();
        var result = new List<Hit>();
        foreach (var document in documents)
        {
            double total = 0;
            for (var r = 0; r < lists.Length; r++)
            {
                var rank = lists[r].FindIndex(h => h.DocId == document);
                if (rank < 0)
                {
                    continue;
                }

                if (options.Method == FusionMethod.Rrf)
                {
                    total += 1.0 / (options.RrfK + rank + 1);
                    continue;
                }

                double score = lists[r][rank].Score;
                if (options.MinMaxNormalization)
                {
                    double min = lists[r].Min(h => h.Score), max = lists[r].Max(h => h.Score);
                    score = max == min ? 1 : (score - min) / (max - min);
                }

                total += options.Method == FusionMethod.Interpolation ? (r == 0 ? options.Alpha : 1 - options.Alpha) * score : score;
            }

            result.Add(new Hit(document, (float)(options.Method == FusionMethod.Average ? total / lists.Length : total)));
        }

        return RankedList.TrecOrder(result).Take(options.K).ToArray();
    }
}
