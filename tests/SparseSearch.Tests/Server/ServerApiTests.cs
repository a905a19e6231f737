using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace SparseSearch.Tests.Server;

/// <summary>Every endpoint of <c>sparse serve</c> over a real loopback Kestrel.</summary>
public class ServerApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task Health_ready_and_stats_describe_the_open_index()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/ready")).StatusCode);
        var stats = await server.Json(await Client.GetAsync("/stats"));
        Assert.Equal("bm25", stats.GetProperty("encoder").GetString());
        Assert.Equal(1000f, stats.GetProperty("quantization_scale").GetSingle());
        Assert.True(stats.GetProperty("documents").GetInt64() >= 30);
        Assert.True(stats.GetProperty("index_bytes").GetInt64() > 0);
    }

    [Fact]
    public async Task Get_search_returns_hits_with_snippets_highlighting_the_matched_words()
    {
        var body = await server.Json(await Client.GetAsync("/search?q=sparse+retrieval&k=3"));
        var hits = body.GetProperty("hits").EnumerateArray().ToArray();
        Assert.InRange(hits.Length, 1, 3);
        Assert.Contains(body.GetProperty("query_terms").EnumerateArray(), t => t.GetProperty("term").GetString() == "spars");
        var first = hits[0];
        var snippet = first.GetProperty("snippet").GetString()!;
        var marked = first.GetProperty("highlights").EnumerateArray()
            .Select(h => snippet.Substring(h.GetProperty("start").GetInt32(), h.GetProperty("length").GetInt32()).ToLowerInvariant()).ToArray();
        Assert.NotEmpty(marked);
        Assert.All(marked, word => Assert.True(word.StartsWith("spars", StringComparison.Ordinal) || word.StartsWith("retriev", StringComparison.Ordinal), word));
        Assert.False(first.TryGetProperty("matches", out _));
    }

    [Fact]
    public async Task Explained_contributions_are_query_times_document_weight_and_add_up_to_the_score()
    {
        var response = await Client.PostAsJsonAsync("/search", new { query = "inverted index compression", k = 5, explain = true });
        var hits = (await server.Json(response)).GetProperty("hits").EnumerateArray().ToArray();
        Assert.NotEmpty(hits);
        foreach (var hit in hits)
        {
            var matches = hit.GetProperty("matches").EnumerateArray().ToArray();
            Assert.NotEmpty(matches);
            var sum = matches.Sum(m => m.GetProperty("contribution").GetDouble());
            var score = hit.GetProperty("score").GetDouble();
            Assert.True(Math.Abs(sum - score) <= 1e-5 * score, $"contributions {sum} vs score {score}");
            foreach (var m in matches)
            {
                var product = m.GetProperty("query_weight").GetDouble() * m.GetProperty("document_weight").GetDouble();
                Assert.True(Math.Abs(product - m.GetProperty("contribution").GetDouble()) <= 1e-5 * product);
            }
        }
    }

    [Fact]
    public async Task Added_documents_are_searchable_on_return_replaced_by_id_and_gone_after_delete()
    {
        var add = await Client.PostAsJsonAsync("/documents", new[] { new { id = "live-1", title = "Zyxwvut", text = "the quokka zyxwvut appears once" } });
        Assert.Equal(HttpStatusCode.OK, add.StatusCode);
        var hits = (await server.Json(await Client.GetAsync("/search?q=zyxwvut"))).GetProperty("hits");
        Assert.Equal("live-1", hits[0].GetProperty("id").GetString());

        await Client.PostAsJsonAsync("/documents", new[] { new { id = "live-1", title = "Replaced", text = "now about wombats" } });
        Assert.Empty((await server.Json(await Client.GetAsync("/search?q=zyxwvut"))).GetProperty("hits").EnumerateArray());
        var stored = await server.Json(await Client.GetAsync("/documents/live-1"));
        Assert.Equal("now about wombats", stored.GetProperty("text").GetString());
        Assert.True(stored.GetProperty("vector").TryGetProperty("wombat", out _));

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/documents/live-1")).StatusCode);
        Assert.Empty((await server.Json(await Client.GetAsync("/search?q=wombats"))).GetProperty("hits").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/documents/live-1")).StatusCode);
        await AssertProblem(await Client.DeleteAsync("/documents/live-1"), HttpStatusCode.NotFound, "id");
    }

    [Fact]
    public async Task Pre_encoded_vectors_are_indexed_as_given_and_commit_is_accepted()
    {
        var add = await Client.PostAsJsonAsync("/documents", new[] { new { id = "vec-1", vector = new Dictionary<string, float> { ["qqqterm"] = 1.5f } } });
        Assert.Equal(HttpStatusCode.OK, add.StatusCode);
        var explained = await server.Json(await Client.PostAsJsonAsync("/search", new { query = "qqqterm", explain = true }));
        var match = explained.GetProperty("hits")[0].GetProperty("matches")[0];
        Assert.Equal("qqqterm", match.GetProperty("term").GetString());
        Assert.Equal(1.5, match.GetProperty("document_weight").GetDouble(), 3);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync("/commit", null)).StatusCode);
    }

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { "POST", "{\"query\": \"\"}", "query" },
        { "POST", "{\"query\": \"   \"}", "query" },
        { "POST", "{\"query\": \"" + new string('a', 201) + "\"}", "query" },
        { "POST", "{\"query\": \"index\", \"k\": 0}", "k" },
        { "POST", "{\"query\": \"index\", \"k\": 100000}", "k" },
        { "POST", "{\"query\": \"index\", \"k\": \"ten\"}", "k" },
        { "POST", "{\"query\": 5}", "query" },
        { "POST", "{\"query\": \"index\", \"explain\": \"yes\"}", "explain" },
        { "POST", "{\"query\": \"index\", \"colour\": 1}", "colour" },
        { "POST", "{\"query\": \"index\"", "body" },
        { "POST", "[\"index\"]", "body" },
        { "POST", "{}", "query" },
        { "GET", "q=", "query" },
        { "GET", "q=index&k=-1", "k" },
        { "GET", "q=index&k=abc", "k" },
        { "GET", "q=index&page=2", "page" },
        { "GET", "q=index&explain=maybe", "explain" },
        { "DOCS", "{\"id\": \"x\", \"text\": \"t\"}", "body" },
        { "DOCS", "[]", "body" },
        { "DOCS", "[{\"id\": \"\", \"text\": \"t\"}]", "[0].id" },
        { "DOCS", "[{\"id\": 7, \"text\": \"t\"}]", "[0].id" },
        { "DOCS", "[{\"id\": \"x\"}]", "[0].text" },
        { "DOCS", "[{\"id\": \"x\", \"text\": \"t\", \"body\": \"b\"}]", "[0].body" },
        { "DOCS", "[{\"id\": \"x\", \"vector\": {\"a\": -1}}]", "[0].vector.a" },
        { "DOCS", "[{\"id\": \"x\", \"vector\": {\"a\": \"heavy\"}}]", "[0].vector.a" },
        { "DOCS", "[{\"id\": \"x\", \"vector\": [1, 2]}]", "[0].vector" },
        { "DOCS", "[{\"id\": \"x\", \"text\": \"t\"}, 3]", "[1]" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_a_4xx_problem_naming_the_field(string kind, string payload, string field)
    {
        var response = kind switch
        {
            "GET" => await Client.GetAsync("/search?" + payload),
            "POST" => await Client.PostAsync("/search", new StringContent(payload, System.Text.Encoding.UTF8, "application/json")),
            _ => await Client.PostAsync("/documents", new StringContent(payload, System.Text.Encoding.UTF8, "application/json")),
        };
        await AssertProblem(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Oversized_bodies_and_wrong_media_types_are_refused_with_problems()
    {
        var huge = "[{\"id\": \"big\", \"text\": \"" + new string('x', 100_000) + "\"}]";
        var tooLarge = await Client.PostAsync("/documents", new StringContent(huge, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType?.MediaType);
        var wrongType = await Client.PostAsync("/search", new StringContent("query=x", System.Text.Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        Assert.Equal("application/problem+json", wrongType.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/no-such-endpoint")).StatusCode);
    }

    [Fact]
    public async Task Metrics_openapi_and_the_page_are_served()
    {
        await Client.GetAsync("/search?q=index");
        var metrics = await Client.GetStringAsync("/metrics");
        Assert.Contains("sparsesearch_searches", metrics);
        Assert.Contains("sparsesearch_index_documents", metrics);
        Assert.Contains("http_server_request_duration_seconds_bucket", metrics);
        var openApi = await server.Json(await Client.GetAsync("/openapi/v1.json"));
        var paths = openApi.GetProperty("paths");
        foreach (var path in new[] { "/search", "/documents", "/documents/{id}", "/commit", "/health", "/ready", "/stats" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI lacks {path}");
        }

        // What a client generator needs: GET /search's parameters, which document fields are optional, the problems.
        var parameters = paths.GetProperty("/search").GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString());
        Assert.Equal(["q", "k", "from", "explain", "filter", "fields", "fusion", "first_passages", "approximate"], parameters);
        var required = openApi.GetProperty("components").GetProperty("schemas").GetProperty("DocumentInput").GetProperty("required").EnumerateArray().Select(r => r.GetString());
        Assert.Equal(["id"], required);
        var responses = paths.GetProperty("/documents").GetProperty("post").GetProperty("responses");
        foreach (var status in new[] { "400", "413", "415", "422", "503" })
        {
            Assert.True(responses.TryGetProperty(status, out _), $"POST /documents does not list {status}");
        }

        var page = await Client.GetStringAsync("/");
        Assert.Contains("<title>SparseSearch</title>", page);
    }

    [Fact]
    public async Task Concurrent_searches_and_writes_give_no_server_errors_and_lose_no_update()
    {
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        var errors = 0;
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 15; i++)
            {
                var id = $"concurrent-{w}-{i}";
                var response = await Client.PostAsJsonAsync("/documents", new[] { new { id, title = "", text = $"concurrency marker{w}x{i} retrieval" } });
                if ((int)response.StatusCode >= 500)
                {
                    Interlocked.Increment(ref errors);
                }
                else if (response.IsSuccessStatusCode)
                {
                    acknowledged.Add(id);
                }
            }
        }));
        var readers = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                var response = await Client.GetAsync("/search?q=retrieval+concurrency&k=20");
                if ((int)response.StatusCode >= 500)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        await Task.WhenAll(writers.Concat(readers));
        Assert.Equal(0, errors);
        Assert.Equal(45, acknowledged.Count);
        foreach (var id in acknowledged)
        {
            var marker = id.Replace("concurrent-", "marker").Replace('-', 'x');
            var hits = (await server.Json(await Client.GetAsync($"/search?q={marker}"))).GetProperty("hits");
            Assert.Equal(id, hits[0].GetProperty("id").GetString());
        }
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.True(problem.TryGetProperty("field", out _), text);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.DoesNotContain("   at ", problem.GetProperty("detail").GetString()!);
    }
}
