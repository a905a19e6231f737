using System.Text.Json;
using SparseSearch.Encoding.Models;

namespace SparseSearch.Tests.Models;

/// <summary>
/// SparseSearch's ONNX encoders against PyTorch: small, randomly initialised but architecturally real models (a BERT
/// MLM with the SPLADE head, pooled in the graph and as raw logits, the l0 double-log variant, uniCOIL, a CSR
/// autoencoder over a dense encoder), exported by models/export_sparse_onnx.py, with PyTorch's sparse outputs for
/// texts that include long (truncated), empty-after-cleaning, unicode and symbol-laden inputs
/// (models/testing/make_test_models.py, run on the device). Every weight must match within 1e-4 relative, over the
/// same set of non-zero terms, and the token ids must equal Hugging Face's.
/// </summary>
public class ModelFidelityTests
{
    // Weights this close to 0 are float noise of a random model; they may be on either side of 0 in two runtimes.
    private const float NoiseFloor = 1e-6f;

    public static TheoryData<string> Models => ["tiny-splade", "tiny-splade-raw", "tiny-splade-l0", "tiny-splade-sparse", "tiny-unicoil", "tiny-csr"];

    public static string ModelDirectory(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "models", name);

    [Theory]
    [Trait("Category", "Fidelity")]
    [MemberData(nameof(Models))]
    public void Sparse_vectors_match_pytorch_weight_for_weight(string name)
    {
        var manifest = SparseModelManifest.Load(ModelDirectory(name));
        using var encoder = new OnnxSparseEncoder(manifest, batchSize: 5);
        var references = File.ReadLines(Path.Combine(ModelDirectory(name), "reference.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.True(references.Length >= 10);
        var texts = references.Select(r => r.GetProperty("text").GetString()!).ToArray();
        var vectors = encoder.Encode(texts);
        var compared = 0;
        for (var i = 0; i < texts.Length; i++)
        {
            var expectedIds = references[i].GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            Assert.Equal(expectedIds, encoder.Tokenizer.Encode(texts[i]));
            var expected = references[i].GetProperty("vector").EnumerateObject().Where(p => p.Value.GetSingle() > NoiseFloor)
                .ToDictionary(p => p.Name, p => p.Value.GetSingle());
            var actual = vectors[i].Weights.Where(w => w.Value > NoiseFloor).ToDictionary(w => w.Key, w => w.Value);
            Assert.True(expected.Keys.ToHashSet().SetEquals(actual.Keys),
                $"{name}, text {i}: terms only in PyTorch: {string.Join(" ", expected.Keys.Except(actual.Keys))}; only here: {string.Join(" ", actual.Keys.Except(expected.Keys))}");
            foreach (var (term, weight) in expected)
            {
                Assert.True(Math.Abs(actual[term] - weight) <= (1e-4 * weight) + 1e-7, $"{name}, text {i}, term {term}: {actual[term]} vs PyTorch {weight}");
                compared++;
            }
        }

        Assert.True(compared > 50, $"only {compared} weights compared");
    }

    [Fact]
    [Trait("Category", "Fidelity")]
    public void An_fp16_graph_runs_and_stays_within_half_precision_of_the_float32_model()
    {
        // tiny-splade-fp16: the same weights as tiny-splade, converted to float16 by the exporter (--dtype fp16);
        // its reference is PyTorch's float32 output, so agreement is to half precision, not 1e-4.
        var directory = ModelDirectory("tiny-splade-fp16");
        using var encoder = new OnnxSparseEncoder(SparseModelManifest.Load(directory), batchSize: 4);
        var references = File.ReadLines(Path.Combine(directory, "reference.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var vectors = encoder.Encode(references.Select(r => r.GetProperty("text").GetString()!).ToArray());
        var compared = 0;
        for (var i = 0; i < references.Length; i++)
        {
            var expected = references[i].GetProperty("vector").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetSingle());
            foreach (var (term, weight) in vectors[i].Weights.Where(w => w.Value > 0.02f))
            {
                Assert.True(expected.ContainsKey(term), $"text {i}: {term} ({weight}) is not in the float32 output");
            }

            foreach (var (term, weight) in expected.Where(e => e.Value > 0.02f))
            {
                Assert.True(Math.Abs(vectors[i][term] - weight) <= (5e-3 * weight) + 1e-3, $"text {i}, {term}: {vectors[i][term]} vs float32 {weight}");
                compared++;
            }
        }

        Assert.True(compared > 100, $"only {compared} weights compared");
    }

    [Fact]
    [Trait("Category", "Fidelity")]
    public void A_graph_that_sparsifies_its_output_gives_the_dense_graphs_vectors()
    {
        // tiny-splade-sparse holds tiny-splade's weights exported with --sparse-output: the graph itself keeps only the
        // non-zeros (flat positions and weights). Batches of different sizes shift where each text's row starts.
        var texts = File.ReadLines(Path.Combine(ModelDirectory("tiny-splade"), "reference.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!).ToArray();
        using var dense = new OnnxSparseEncoder(SparseModelManifest.Load(ModelDirectory("tiny-splade")), batchSize: 4);
        using var sparse = new OnnxSparseEncoder(SparseModelManifest.Load(ModelDirectory("tiny-splade-sparse")), batchSize: 5);
        var expected = dense.Encode(texts);
        var actual = sparse.Encode(texts);
        var compared = 0;
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.True(expected[i].Weights.Keys.ToHashSet().SetEquals(actual[i].Weights.Keys), $"text {i}: the term sets differ");
            foreach (var (term, weight) in expected[i].Weights)
            {
                Assert.True(Math.Abs(actual[i][term] - weight) <= 1e-6f * weight, $"text {i}, {term}: {actual[i][term]} vs dense {weight}");
                compared++;
            }
        }

        Assert.True(compared > 100, $"only {compared} weights compared");
    }

    [Fact]
    public void A_sparse_graph_whose_positions_output_is_misnamed_fails_naming_the_field()
    {
        using var directory = TestPaths.Temporary();
        foreach (var file in Directory.GetFiles(ModelDirectory("tiny-splade-sparse")))
        {
            File.Copy(file, directory.Combine(Path.GetFileName(file)));
        }

        var path = directory.Combine(SparseModelManifest.FileName);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"positions\": \"positions\"", "\"positions\": \"coordinates\""));
        var manifest = SparseModelManifest.Load(directory.Path);
        Assert.Equal("coordinates", manifest.OutputPositionsName);
        var error = Assert.Throws<SparseSearch.Core.InvalidSettingException>(() => new OnnxSparseEncoder(manifest));
        Assert.Contains("output.positions", error.Message);
        Assert.Contains("'coordinates'", error.Message);
    }

    [Fact]
    public void Inference_free_queries_weigh_each_distinct_token_by_its_idf_and_ignore_unknown_and_special_tokens()
    {
        var directory = ModelDirectory("tiny-splade");
        var definition = new ModelEncoderDefinition(SparseModelManifest.Load(directory));
        var idf = ModelEncoderDefinition.LoadIdf(Path.Combine(directory, "idf.json"));
        var query = definition.CreateQueryEncoder(new NoStatistics()).Encode("sparse sparse retrieval [SEP] zzzq");
        // "sparse" counts once; [SEP] is special; "zzzq" becomes pieces, each weighted only if the table has it.
        Assert.Equal(idf.GetValueOrDefault("sparse"), query["sparse"]);
        Assert.Equal(idf.GetValueOrDefault("retrieval"), query["retrieval"]);
        Assert.Equal(0f, query["[SEP]"]);
        foreach (var (term, weight) in query.Weights)
        {
            Assert.Equal(idf[term], weight);
        }
    }

    [Theory]
    [InlineData("\"family\": \"splade\"", "\"family\": \"colbert\"", "family")]
    [InlineData("\"kind\": \"pooled\"", "\"kind\": \"latent\"", "output.kind")]
    [InlineData("\"activation\": \"log1p_relu\"", "\"activation\": \"gelu\"", "activation")]
    [InlineData("\"onnx\": \"model.onnx\"", "\"onnx\": \"missing.onnx\"", "onnx")]
    [InlineData("\"format_version\": 1,", "\"format_version\": 1, \"colour\": \"red\",", "colour")]
    [InlineData("\"rounding\": \"half-up\"", "\"rounding\": \"half-even\"", "quantization.rounding")]
    public void Bad_manifests_fail_naming_the_field(string original, string replacement, string field)
    {
        using var directory = TestPaths.Temporary();
        foreach (var file in Directory.GetFiles(ModelDirectory("tiny-splade")))
        {
            File.Copy(file, directory.Combine(Path.GetFileName(file)));
        }

        var path = directory.Combine(SparseModelManifest.FileName);
        var text = File.ReadAllText(path);
        Assert.Contains(original, text);
        File.WriteAllText(path, text.Replace(original, replacement));
        var error = Assert.Throws<SparseSearch.Core.InvalidSettingException>(() => SparseModelManifest.Load(directory.Path));
        Assert.Contains($"'{field}'", error.Message);
    }

    private sealed class NoStatistics : SparseSearch.Encoding.ITermStatistics
    {
        public long DocumentCount => 0;

        public long DocFreq(string term) => throw new InvalidOperationException("an idf.json model must not ask the index");
    }
}
