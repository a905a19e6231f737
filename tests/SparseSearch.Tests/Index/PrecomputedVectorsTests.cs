using System.Text.Json;
using SparseSearch.Core;
using SparseSearch.Encoding;
using SparseSearch.Encoding.Bm25;
using SparseSearch.Evaluation.Beir;
using SparseSearch.Index;

namespace SparseSearch.Tests.Index;

/// <summary>Reference: brute-force dot products of binary×idf queries with the dequantized pre-encoded vectors.</summary>
public class PrecomputedVectorsTests
{
    [Fact]
    public async Task Json_vector_collection_indexes_and_scores_as_idf_weighted_dot_products()
    {
        using var directory = TestPaths.Temporary();
        var corpus = new RandomCorpus(seed: 11, vocabularySize: 60);
        var documents = Enumerable.Range(0, 200).Select(i => (Id: $"v{i}", Vector: corpus.Vector(3, 20, 2.5f))).ToArray();
        var file = directory.Combine("vectors.jsonl");
        await File.WriteAllLinesAsync(file, documents.Select(d => JsonSerializer.Serialize(new { id = d.Id, contents = "text of " + d.Id, vector = d.Vector.Weights })));
        var index = directory.Combine("idx");

        var exit = await SparseSearch.Cli.Program.Run(["index", "--vectors", file, "--index", index, "--scale", "100"], TextWriter.Null, TextWriter.Null);
        Assert.Equal(0, exit);

        var manifest = IndexManifest.Read(index);
        Assert.Equal(("vectors", 100f, 200L), (manifest.Encoder, manifest.QuantizationScale, manifest.DocumentCount));
        using var engine = SearchEngines.Open(index, null, new EncoderOptions());
        var quantizer = new ImpactQuantizer(100f);
        var queryTerms = new[] { "t1", "t2", "t3", "t2" }.Where(t => documents.Any(d => d.Vector.Weights.ContainsKey(t))).Distinct().ToArray();
        var idf = queryTerms.ToDictionary(t => t, t => Bm25Parameters.Idf(documents.Count(d => d.Vector.Weights.ContainsKey(t)), documents.Length));
        var expected = documents
            .Select(d => (d.Id, Score: queryTerms.Sum(t => d.Vector.Weights.TryGetValue(t, out var w) ? idf[t] * quantizer.Dequantize(quantizer.Quantize(w)) : 0d)))
            .Where(d => d.Score > 0)
            .ToDictionary(d => d.Id, d => d.Score);

        var hits = engine.Search("T1 t2 t3 t2", 1000);
        Assert.Equal(expected.Count, hits.Count);
        foreach (var hit in hits)
        {
            Assert.True(Math.Abs(hit.Score - expected[hit.DocId]) <= 1e-5 * expected[hit.DocId], $"{hit.DocId}: {hit.Score} vs {expected[hit.DocId]}");
        }
    }

    [Theory]
    [InlineData("{\"id\":\"a\",\"vector\":{\"x\":\"NaN\"}}", "must be a finite number")]
    [InlineData("{\"id\":\"a\",\"vector\":{\"x\":1e400}}", "must be a finite number")]
    [InlineData("{\"id\":\"a\",\"vector\":{\"x\":NaN}}", "malformed JSON")]
    [InlineData("{\"id\":\"a\",\"vector\":{\"x\":Infinity}}", "malformed JSON")]
    [InlineData("{\"id\":\"a\",\"vector\":[1,2]}", "\"vector\" must be an object")]
    [InlineData("{\"id\":\"a\"}", "\"vector\" must be an object")]
    [InlineData("{\"id\":\"\",\"vector\":{}}", "empty \"id\"")]
    [InlineData("{\"vector\":{\"x\":1}}", "missing \"id\"")]
    [InlineData("{\"id\":\"a\",\"vector\":{\"\":1}}", "empty term")]
    [InlineData("{\"id\":\"a\",\"vector\":{\"x\":1}} trailing", "malformed JSON")]
    [InlineData("{\"id\":\"a\",\"vector\":{\"x\":1", "malformed JSON")]
    [InlineData("[{\"id\":\"a\"}]", "expected a JSON object")]
    [InlineData("{\"id\":{\"nested\":1},\"vector\":{\"x\":1}}", "\"id\" must be a string")]
    [InlineData("{\"id\":\"a\",\"vector\":{\"x\":{\"y\":1}}}", "must be a finite number")]
    public void Invalid_vectors_are_clear_errors(string line, string expected)
    {
        using var directory = TestPaths.Temporary();
        var file = directory.Combine("v.jsonl");
        File.WriteAllText(file, line + "\n");
        var error = Assert.Throws<InvalidCorpusException>(() => new JsonVectorCorpus(file).Read().ToList());
        Assert.Contains(expected, error.Message);
        Assert.Contains("line 1", error.Message);
    }

    [Fact]
    public void Numeric_ids_contents_and_unknown_fields_are_read_and_a_repeated_term_keeps_its_last_weight()
    {
        using var directory = TestPaths.Temporary();
        var file = directory.Combine("v.jsonl");
        File.WriteAllLines(file,
        [
            "{\"extra\":{\"deep\":[1,{\"x\":2}]},\"id\":17,\"contents\":\"caf\\u00e9\",\"vector\":{\"x\":1.5,\"y\":2,\"x\":0.25}}",
            "",
            "{\"id\":\"b\",\"contents\":null,\"vector\":{}}",
        ]);
        var documents = new JsonVectorCorpus(file).Read().ToList();
        Assert.Equal(["17", "b"], documents.Select(d => d.Id));
        Assert.Equal("café", documents[0].Text);
        Assert.Equal(0.25f, documents[0].Vector["x"]);
        Assert.Equal(2f, documents[0].Vector["y"]);
        Assert.Equal(0, documents[1].Vector.Count);
    }

    [Fact]
    public void Documents_before_a_bad_line_come_out_in_order_in_a_file_larger_than_one_parallel_chunk()
    {
        using var directory = TestPaths.Temporary();
        var file = directory.Combine("v.jsonl");
        File.WriteAllLines(file, Enumerable.Range(0, 1_500).Select(i => i == 1_234 ? "{broken" : $"{{\"id\":\"d{i}\",\"vector\":{{\"t{i % 7}\":1}}}}"));
        var seen = new List<string>();
        var error = Assert.Throws<InvalidCorpusException>(() =>
        {
            foreach (var document in new JsonVectorCorpus(file).Read())
            {
                seen.Add(document.Id);
            }
        });
        Assert.Contains("line 1235", error.Message);
        Assert.Equal(Enumerable.Range(0, 1_234).Select(i => $"d{i}"), seen);
    }

    [Fact]
    public void Zero_and_negative_weights_are_dropped_and_counted()
    {
        using var directory = TestPaths.Temporary();
        var file = directory.Combine("v.jsonl");
        File.WriteAllText(file, "{\"id\":\"a\",\"vector\":{\"x\":1.5,\"y\":-2,\"z\":0}}\n");
        var corpus = new JsonVectorCorpus(file);
        var document = corpus.Read().Single();
        Assert.Equal(1.5f, document.Vector["x"]);
        Assert.Equal(1, document.Vector.Count);
        Assert.Equal(2, corpus.DroppedWeights);
    }
}
