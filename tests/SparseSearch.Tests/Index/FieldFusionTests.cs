using System.Text.Json;
using SparseSearch.Core;
using SparseSearch.Index.MultiField;
using static SparseSearch.Tests.Cli.SparseCli;

namespace SparseSearch.Tests.Index;

/// <summary>
/// In-index fusion against values computed by hand (two rankings: A = d1 3.0, d2 2.0, d3 1.0; B = d3 10, d1 5), and a
/// multi-field index built and searched through the CLI whose per-field contributions add up to each fused score.
/// </summary>
public class FieldFusionTests
{
    private static readonly (string, IReadOnlyList<Hit>)[] Rankings =
    [
        ("a", [new Hit("d1", 3f), new Hit("d2", 2f), new Hit("d3", 1f)]),
        ("b", [new Hit("d3", 10f), new Hit("d1", 5f)]),
    ];

    [Fact]
    public void Reciprocal_rank_fusion_sums_weight_over_rank_constant_plus_rank()
    {
        var fused = FieldFusion.Fuse(Rankings, new FusionSettings(), 10);
        Assert.Equal(["d1", "d3", "d2"], fused.Select(h => h.Id));
        Assert.Equal((1.0 / 61) + (1.0 / 62), fused[0].Score, 12);
        Assert.Equal((1.0 / 63) + (1.0 / 61), fused[1].Score, 12);
        Assert.Equal(1.0 / 62, fused[2].Score, 12);

        var weighted = FieldFusion.Fuse(Rankings, new FusionSettings { RankConstant = 1, Weights = new Dictionary<string, double> { ["b"] = 3 } }, 2);
        // d3: 1/4 + 3/2 = 1.75; d1: 1/2 + 3/3 = 1.5.
        Assert.Equal(["d3", "d1"], weighted.Select(h => h.Id));
        Assert.Equal(1.75, weighted[0].Score, 12);
    }

    [Theory]
    [InlineData(ScoreNormalization.MinMax, "d1,d2,d3", 0.75, 0.375, 0.25)]
    [InlineData(ScoreNormalization.L2, "d1,d3,d2", 0.71314, 0.42405, 0.40089)]
    [InlineData(ScoreNormalization.ZScore, "d1,d2,d3", 0.66856, 0, -0.66856)]
    public void Linear_fusion_is_the_weighted_mean_of_normalized_scores(ScoreNormalization normalization, string order, double first, double second, double third)
    {
        // Weights a = 3, b = 1, so a document's score is (3 × n_a + n_b) / 4. By hand:
        // min_max: a → d1 1, d2 .5, d3 0; b → d3 1, d1 0.                 d1 .75, d2 .375, d3 .25
        // l2:      a / √14 → .80178, .53452, .26726; b / √125 → .89443, .44721. d1 .71314, d3 .42405, d2 .40089
        // z_score: a → 1.22474, 0, −1.22474; b → 1, −1.                    d1 .66856, d2 0, d3 −.66856
        var settings = new FusionSettings { Method = FusionMethod.Linear, Normalization = normalization, Weights = new Dictionary<string, double> { ["a"] = 3 } };
        var fused = FieldFusion.Fuse(Rankings, settings, 10);
        Assert.Equal(order.Split(','), fused.Select(h => h.Id));
        Assert.Equal(first, fused[0].Score, 1e-4);
        Assert.Equal(second, fused[1].Score, 1e-4);
        Assert.Equal(third, fused[2].Score, 1e-4);
    }

    [Fact]
    public void Equal_scores_normalize_as_opensearch_does()
    {
        Assert.Equal([1.0, 1.0], FieldFusion.Normalize([2.0, 2.0], ScoreNormalization.MinMax));
        Assert.Equal([0.0, 0.0], FieldFusion.Normalize([2.0, 2.0], ScoreNormalization.ZScore));
    }

    [Fact]
    public async Task A_multi_field_index_is_built_in_one_job_and_searched_with_each_fields_contribution()
    {
        using var directory = TestPaths.Temporary();
        var index = directory.Combine("demo-fields");
        var (code, _, error) = await Run("index", "--dataset", "demo", "--fields", "bm25,bm25-wp", "--vocab", TestPaths.BertVocab, "--index", index);
        Assert.True(code == 0, error);
        Assert.True(File.Exists(Path.Combine(index, FieldsManifest.FileName)));

        foreach (var fusion in new[] { "rrf", "linear" })
        {
            (code, var output, error) = await Run("search", "--index", index, "wild yeast bread", "--fusion", fusion, "--explain", "--output", "json", "--k", "5");
            Assert.True(code == 0, error);
            var hits = JsonDocument.Parse(output).RootElement.GetProperty("hits").EnumerateArray().ToArray();
            Assert.Equal("d22", hits[0].GetProperty("id").GetString());
            foreach (var hit in hits)
            {
                var fields = hit.GetProperty("fields").EnumerateArray().ToArray();
                Assert.NotEmpty(fields);
                Assert.Equal(hit.GetProperty("score").GetDouble(), fields.Sum(f => f.GetProperty("contribution").GetDouble()), 5);
            }
        }

        // One field alone ranks as that field's own index does.
        (code, var single, _) = await Run("search", "--index", index, "wild yeast bread", "--fields", "bm25", "--fusion", "rrf", "--output", "trec", "--k", "5");
        (_, var direct, _) = await Run("search", "--index", Path.Combine(index, "fields", "bm25"), "wild yeast bread", "--output", "trec", "--k", "5");
        Assert.Equal(0, code);
        Assert.Equal(direct.Split('\n').Select(l => l.Split(' ').ElementAtOrDefault(2)), single.Split('\n').Select(l => l.Split(' ').ElementAtOrDefault(2)));

        (code, _, error) = await Run("search", "--index", index, "yeast", "--fields", "splade");
        Assert.Equal(2, code);
        Assert.Contains("no field 'splade'", error);
    }
}
