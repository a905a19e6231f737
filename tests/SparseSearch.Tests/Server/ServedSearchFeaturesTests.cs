using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using SparseSearch.Encoding;
using SparseSearch.Evaluation.Beir;
using SparseSearch.Index;
using SparseSearch.Index.Chunking;
using SparseSearch.Index.MultiField;
using SparseSearch.Server;

namespace SparseSearch.Tests.Server;

/// <summary>
/// Filters, multi-field fusion and chunked documents through the HTTP API, on real servers over the demo corpus.
/// References: the demo corpus's own metadata (read here from its file), the single-field rankings the API returns
/// (fused scores recomputed from their ranks by hand), and the documents the test wrote.
/// </summary>
public class ServedSearchFeaturesTests
{
    [Fact]
    public async Task Filters_select_inside_the_top_k_and_hits_carry_their_metadata()
    {
        using var directory = TestPaths.Temporary();
        var index = directory.Combine("demo");
        ServerFixture.BuildDemoIndex(directory, index);
        await using var server = await Serve(index);
        var topics = DemoMetadata(directory).Where(d => d.Value.GetProperty("topic").GetString() == "ranking").Select(d => d.Key).ToHashSet();

        var body = await Post(server, """{"query": "index ranking documents terms", "k": 10, "filter": {"term": {"topic": "ranking"}}}""");
        var hits = body.GetProperty("hits").EnumerateArray().ToArray();
        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.Contains(h.GetProperty("id").GetString()!, topics));
        Assert.All(hits, h => Assert.Equal("ranking", h.GetProperty("metadata").GetProperty("topic").GetString()));

        // GET takes the same filter as URL-encoded JSON; a malformed one is a 400 naming where.
        var get = await server.Client.GetAsync("/search?q=ranking&filter=" + Uri.EscapeDataString("""{"range": {"year": {"gte": 2030}}}"""));
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.All((await get.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("hits").EnumerateArray(),
            h => Assert.True(h.GetProperty("metadata").GetProperty("year").GetInt32() >= 2030));
        var bad = await server.Client.PostAsync("/search", Json("""{"query": "ranking", "filter": {"and": [{"range": {"year": {"gte": "x", "lt": 3}}}]}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("filter.and[0].range.year", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());

        var whole = await server.Client.PostAsync("/search", Json("""{"query": "ranking", "first_passages": 1}"""));
        Assert.Equal(HttpStatusCode.BadRequest, whole.StatusCode);
        Assert.Equal("first_passages", (await whole.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());

        // Metadata posted with a document is filterable at once.
        var posted = await server.Client.PostAsync("/documents", Json("""[{"id": "m1", "text": "ranking with metadata", "metadata": {"topic": "brand-new"}}]"""));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var found = await Post(server, """{"query": "ranking", "filter": {"term": {"topic": "brand-new"}}}""");
        Assert.Equal(["m1"], found.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetString()));
        var badMetadata = await server.Client.PostAsync("/documents", Json("""[{"id": "m2", "text": "x", "metadata": [1]}]"""));
        Assert.Equal(HttpStatusCode.BadRequest, badMetadata.StatusCode);
    }

    [Fact]
    public async Task Approximate_search_is_served_flagged_and_at_its_exact_ends_equals_exact_search()
    {
        using var directory = TestPaths.Temporary();
        var index = directory.Combine("demo-approximate");
        var dataset = new BeirDatasetLocator(directory.Combine("cache"), BeirDatasetLocator.OfficialBaseUrl).Resolve(BeirDatasetLocator.DemoName, null, default);
        using (var encoder = EncoderCatalog.Resolve("bm25", new EncoderOptions()))
        {
            // Every posting kept, and the demo's one small segment given the structures: the exact ends are then exact.
            IndexBuilder.Build(new BeirCorpus(BeirDataset.FindCorpus(dataset)), encoder, index, new IndexBuildOptions
            {
                Approximate = new SparseSearch.Index.Approximate.ApproximateIndexSettings { PostingsFraction = 1, MinSegmentDocuments = 0 },
            });
        }

        await using var server = await Serve(index);
        const string Query = "index ranking documents terms";
        var exact = await Post(server, $$"""{"query": "{{Query}}", "k": 10}""");
        Assert.False(exact.TryGetProperty("approximate", out _));
        var approximate = await Post(server, $$$"""{"query": "{{{Query}}}", "k": 10, "approximate": {"query_terms": "all", "candidates": "all"}}""");
        Assert.Equal(1, approximate.GetProperty("approximate").GetProperty("approximate_segments").GetInt32());
        Assert.Equal("all", approximate.GetProperty("approximate").GetProperty("candidates").GetString());
        Assert.Equal(Hits(exact), Hits(approximate));

        // GET with the defaults is flagged too; bad knobs are a 400 naming the knob.
        var get = await server.Client.GetFromJsonAsync<JsonElement>("/search?q=ranking&approximate=true");
        Assert.Equal(1200, get.GetProperty("approximate").GetProperty("candidates").GetInt32());
        var bad = await server.Client.PostAsync("/search", Json("""{"query": "ranking", "approximate": {"candidates": 0}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("approximate.candidates", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        var unknown = await server.Client.PostAsync("/search", Json("""{"query": "ranking", "approximate": {"heap_factor": 0.9}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);

        // A document written through the service lands in a small new segment, searched exactly next to the approximate one.
        var posted = await server.Client.PostAsync("/documents", Json("""[{"id": "fresh", "text": "ranking ranking ranking index terms"}]"""));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var after = await Post(server, $$"""{"query": "{{Query}}", "k": 10, "approximate": true}""");
        Assert.Contains("fresh", Hits(after).Select(h => h.Id));
    }

    private static (string Id, float Score)[] Hits(JsonElement response) =>
        response.GetProperty("hits").EnumerateArray().Select(h => (h.GetProperty("id").GetString()!, h.GetProperty("score").GetSingle())).ToArray();

    [Fact]
    public async Task A_multi_field_index_is_served_fused_and_written_to_every_field()
    {
        using var directory = TestPaths.Temporary();
        var index = directory.Combine("demo-fields");
        var options = new EncoderOptions(TestPaths.BertVocab);
        using (var bm25 = EncoderCatalog.Resolve("bm25", options))
        using (var wordPiece = EncoderCatalog.Resolve("bm25-wp", options))
        {
            FieldsManifest.EnsureBuilt(new BeirCorpus(DemoCorpus(directory)), [bm25, wordPiece], index, new IndexBuildOptions(), null);
        }

        await using var server = await Serve(index, options);
        const string Query = "index search documents terms";
        var single = new Dictionary<string, string[]>();
        foreach (var field in new[] { "bm25", "bm25-wp" })
        {
            single[field] = (await Post(server, $$"""{"query": "{{Query}}", "k": 100, "fields": ["{{field}}"]}""")).GetProperty("hits").EnumerateArray()
                .Select(h => h.GetProperty("id").GetString()!).ToArray();
        }

        // RRF by hand from the two single-field rankings: Σ 1/(60 + rank).
        var fused = await Post(server, $$$"""{"query": "{{{Query}}}", "k": 5, "explain": true, "fusion": {"method": "rrf", "rank_constant": 60}}""");
        Assert.Equal(5, fused.GetProperty("hits").GetArrayLength());
        foreach (var hit in fused.GetProperty("hits").EnumerateArray())
        {
            var id = hit.GetProperty("id").GetString()!;
            var expected = single.Values.Sum(ranking => Array.IndexOf(ranking, id) is var at and >= 0 ? 1.0 / (60 + at + 1) : 0);
            Assert.Equal(expected, hit.GetProperty("score").GetDouble(), 5);
            Assert.Equal(expected, hit.GetProperty("fields").EnumerateArray().Sum(f => f.GetProperty("contribution").GetDouble()), 5);
        }

        var linear = await Post(server, """{"query": "index search documents terms", "k": 3, "fusion": {"method": "linear", "normalization": "z_score", "weights": {"bm25": 2}}}""");
        Assert.Equal(3, linear.GetProperty("hits").GetArrayLength());
        var stats = await server.Client.GetFromJsonAsync<JsonElement>("/stats");
        Assert.Equal(["bm25", "bm25-wp"], stats.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));

        // A write reaches every field; a delete leaves none.
        Assert.Equal(HttpStatusCode.OK, (await server.Client.PostAsync("/documents", Json("""[{"id": "z1", "text": "zymurgy is the chemistry of fermentation"}]"""))).StatusCode);
        foreach (var field in new[] { "bm25", "bm25-wp" })
        {
            Assert.Contains("z1", (await Post(server, $$"""{"query": "zymurgy", "fields": ["{{field}}"]}""")).GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetString()));
        }

        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.DeleteAsync("/documents/z1")).StatusCode);
        Assert.Equal(0, (await Post(server, """{"query": "zymurgy"}""")).GetProperty("hits").GetArrayLength());

        foreach (var (request, field) in new[]
        {
            ("""{"query": "yeast", "fields": ["splade"]}""", "fields"),
            ("""{"query": "yeast", "fusion": {"method": "max"}}""", "fusion.method"),
            ("""{"query": "yeast", "fusion": {"weights": {"bm25": -1}}}""", "fusion.weights.bm25"),
        })
        {
            var response = await server.Client.PostAsync("/search", Json(request));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        }

        var vector = await server.Client.PostAsync("/documents", Json("""[{"id": "v", "vector": {"yeast": 1}}]"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, vector.StatusCode);
    }

    [Fact]
    public async Task A_served_chunked_index_splits_what_it_receives_and_deletes_every_chunk()
    {
        using var directory = TestPaths.Temporary();
        var index = directory.Combine("chunked");
        using (var bm25 = EncoderCatalog.Resolve("bm25", new EncoderOptions()))
        {
            IndexBuilder.Build(new BeirCorpus(DemoCorpus(directory)), bm25, index,
                new IndexBuildOptions { QuantizationScale = 1000, Chunking = ChunkingSettings.Resolve("8", 2, bm25) });
        }

        await using var server = await Serve(index);
        var text = string.Join(' ', Enumerable.Repeat("ordinary filler words here", 10)) + " quokka";
        Assert.Equal(HttpStatusCode.OK, (await server.Client.PostAsync("/documents", Json($$"""[{"id": "long", "title": "Long", "text": "{{text}}"}]"""))).StatusCode);
        var hit = (await Post(server, """{"query": "quokka", "explain": true}""")).GetProperty("hits").EnumerateArray().Single();
        Assert.Equal("long", hit.GetProperty("id").GetString());
        Assert.StartsWith("long#", hit.GetProperty("passage").GetString());
        Assert.NotEqual("long#0", hit.GetProperty("passage").GetString());
        Assert.Contains("quokka", hit.GetProperty("snippet").GetString());

        // Only the first passage competing, the word in a later chunk is out of reach.
        Assert.Equal(0, (await Post(server, """{"query": "quokka", "first_passages": 1}""")).GetProperty("hits").GetArrayLength());
        Assert.Single((await server.Client.GetFromJsonAsync<JsonElement>("/search?q=quokka&first_passages=9")).GetProperty("hits").EnumerateArray());

        var document = await server.Client.GetFromJsonAsync<JsonElement>("/documents/long");
        Assert.Equal(text, document.GetProperty("text").GetString());
        var listed = await server.Client.GetFromJsonAsync<JsonElement>("/documents?size=1000");
        Assert.Equal(31, listed.GetProperty("total").GetInt64());
        Assert.DoesNotContain(listed.GetProperty("documents").EnumerateArray(), d => d.GetProperty("id").GetString()!.Contains('#'));

        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.DeleteAsync("/documents/long")).StatusCode);
        Assert.Equal(0, (await Post(server, """{"query": "quokka"}""")).GetProperty("hits").GetArrayLength());
    }

    /// <summary>The embedded demo corpus, unpacked under <paramref name="directory"/>.</summary>
    private static string DemoCorpus(TemporaryDirectory directory) => BeirDataset.FindCorpus(
        new BeirDatasetLocator(directory.Combine("cache"), BeirDatasetLocator.OfficialBaseUrl).Resolve(BeirDatasetLocator.DemoName, null, default));

    private static Dictionary<string, JsonElement> DemoMetadata(TemporaryDirectory directory) =>
        File.ReadLines(DemoCorpus(directory)).Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(d => d.GetProperty("_id").GetString()!, d => d.GetProperty("metadata").Clone());

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    private static async Task<JsonElement> Post(RunningServer server, string body)
    {
        var response = await server.Client.PostAsync("/search", Json(body));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<RunningServer> Serve(string index, EncoderOptions? options = null)
    {
        var app = SparseSearchServer.Create(new ServerOptions { IndexPath = index, Urls = "http://127.0.0.1:0" }, options ?? new EncoderOptions());
        await app.StartAsync();
        return new RunningServer(app);
    }

    private sealed class RunningServer(WebApplication app) : IAsyncDisposable
    {
        public HttpClient Client { get; } = new() { BaseAddress = new Uri(app.Urls.First()) };

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
