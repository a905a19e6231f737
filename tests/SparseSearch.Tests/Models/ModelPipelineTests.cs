using SparseSearch.Cli;

namespace SparseSearch.Tests.Models;

/// <summary>
/// End to end through the CLI with the tiny SPLADE fixture (quality meaningless, path real): CACM indexed by the model
/// and evaluated with inference-free queries; the same documents encoded to a JsonVectorCollection, indexed as
/// pre-encoded vectors and searched; tokenize and models list; and a clear error for a CUDA device in a CPU build.
/// </summary>
public class ModelPipelineTests
{
    private static string TinySplade => ModelFidelityTests.ModelDirectory("tiny-splade");

    [Fact]
    public async Task Cacm_indexed_with_a_model_is_searched_inference_free_and_evaluated()
    {
        using var directory = TestPaths.Temporary();
        var (code, output, error) = await Sparse("eval", "--dataset", TestPaths.Dataset("cacm"), "--encoder", "model", "--model", TinySplade,
            "--index", directory.Combine("cacm-tiny"), "--run", directory.Combine("run.trec"), "--output", "json");
        Assert.True(code == 0, error);
        var result = System.Text.Json.JsonDocument.Parse(output).RootElement;
        Assert.Equal(3204, result.GetProperty("documents").GetInt64());
        Assert.InRange(result.GetProperty("metrics").GetProperty("MAP").GetDouble(), 0.0, 1.0);
        Assert.Equal(52, result.GetProperty("queries").GetInt32());

        // The model directory is recorded in the index: search needs no --model.
        (code, output, error) = await Sparse("search", "--index", directory.Combine("cacm-tiny"), "time sharing system", "--k", "3", "--output", "json");
        Assert.True(code == 0, error);
        Assert.Equal(3, System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("hits").GetArrayLength());
    }

    [Fact]
    public async Task Encoded_vectors_index_and_search_like_the_model_index()
    {
        using var directory = TestPaths.Temporary();
        var vectors = directory.Combine("cacm.jsonl.gz");
        var (code, _, error) = await Sparse("encode", "--dataset", TestPaths.Dataset("cacm"), "--model", TinySplade, "--out", vectors);
        Assert.True(code == 0, error);
        (code, _, error) = await Sparse("index", "--vectors", vectors, "--vocab", Path.Combine(TinySplade, "vocab.txt"), "--index", directory.Combine("vectors"));
        Assert.True(code == 0, error);
        (code, _, error) = await Sparse("index", "--dataset", TestPaths.Dataset("cacm"), "--encoder", "model", "--model", TinySplade, "--index", directory.Combine("model"));
        Assert.True(code == 0, error);
        // Encoding elsewhere and indexing the vectors gives the very impacts the model index holds.
        var fromFile = SparseSearch.Index.Impact.ImpactIndexInspector.ReadVectors(directory.Combine("vectors"));
        var fromModel = SparseSearch.Index.Impact.ImpactIndexInspector.ReadVectors(directory.Combine("model"));
        Assert.Equal(3204, fromModel.Count);
        Assert.Equal(fromModel.Keys.Order(), fromFile.Keys.Order());
        Assert.All(fromModel, d => Assert.Equal(d.Value, fromFile[d.Key]));

        foreach (var query in new[] { "time sharing system", "parallel sorting algorithms" })
        {
            // The vocabulary given at build time is recorded in the index: no --vocab needed here.
            var (_, fromVectors, vectorsError) = await Sparse("search", "--index", directory.Combine("vectors"), query, "--k", "5", "--output", "json");
            Assert.True(vectorsError.Length == 0, vectorsError);
            var (_, modelHits, _) = await Sparse("search", "--index", directory.Combine("model"), query, "--k", "5", "--output", "json");
            // The queries differ (the index's idf vs idf.json), so each index is checked on its own: five hits each.
            Assert.Equal(5, System.Text.Json.JsonDocument.Parse(fromVectors).RootElement.GetProperty("hits").GetArrayLength());
            Assert.Equal(5, System.Text.Json.JsonDocument.Parse(modelHits).RootElement.GetProperty("hits").GetArrayLength());
        }
    }

    [Fact]
    public async Task Tokenize_models_list_and_cuda_errors_behave()
    {
        var input = Console.In;
        try
        {
            Console.SetIn(new StringReader("Café déjà vu, 東京!\n$5 + x"));
            var (code, output, _) = await Sparse("tokenize", "--vocab", TestPaths.BertVocab);
            Assert.Equal(0, code);
            Assert.Equal(["cafe de ##ja vu , 東 京 !", "$ 5 + x"], output.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')));
        }
        finally
        {
            Console.SetIn(input);
        }

        var (listCode, list, _) = await Sparse("models", "list", "--dir", Path.GetDirectoryName(TinySplade)!, "--output", "json");
        Assert.Equal(0, listCode);
        Assert.Contains("\"tiny-unicoil\"", list);
        Assert.Contains("\"csr\"", list);

        var (cudaCode, _, cudaError) = await Sparse("encode", "--model", TinySplade, "--device", "cuda:0", "--text", "x");
        Assert.Equal(2, cudaCode);
        Assert.Contains("-p:OnnxRuntimeGpu=true", cudaError);
    }

    [Fact]
    public async Task A_manifest_naming_an_output_the_graph_lacks_is_one_line_listing_the_outputs_it_has()
    {
        using var directory = TestPaths.Temporary();
        foreach (var file in Directory.GetFiles(TinySplade))
        {
            File.Copy(file, Path.Combine(directory.Path, Path.GetFileName(file)));
        }

        var manifest = Path.Combine(directory.Path, "sparse-model.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"name\": \"weights\"", "\"name\": \"logits\"", StringComparison.Ordinal));
        var (code, _, error) = await Sparse("encode", "--model", directory.Path, "--text", "wild yeast");
        Assert.Equal(2, code);
        Assert.Contains("has no output 'logits' (sparse-model.json output.name); it has weights", error);
        Assert.DoesNotContain("   at ", error);
    }

    private static Task<(int Exit, string Output, string Error)> Sparse(params string[] args) => Cli.SparseCli.Run(args);
}
