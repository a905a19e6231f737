using System.Net;
using System.Text.Json;
using SparseSearch.Encoding;
using SparseSearch.Server;

namespace SparseSearch.Tests.Server;

/// <summary>
/// Pages of hits, totals and the document listing. References: the unpaged top k (pages must concatenate to it), and
/// a count made from every document's stored vector fetched through the API (a document matches when its vector
/// holds a query term).
/// </summary>
public class PaginationTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task Pages_concatenate_to_the_unpaged_top_k_and_total_counts_every_matching_document()
    {
        var whole = await Ids("/search?q=index+search+terms&k=12");
        var pages = (await Ids("/search?q=index+search+terms&k=5")).Concat(await Ids("/search?q=index+search+terms&k=5&from=5"))
            .Concat(await Ids("/search?q=index+search+terms&k=5&from=10")).ToArray();
        Assert.True(whole.Length > 5);
        Assert.Equal(whole, pages.Take(whole.Length));

        var body = await server.Json(await Client.GetAsync("/search?q=index+search+terms&k=3&from=3"));
        Assert.Equal(3, body.GetProperty("from").GetInt32());
        var total = body.GetProperty("total");
        Assert.Equal("eq", total.GetProperty("relation").GetString());
        var queryTerms = body.GetProperty("query_terms").EnumerateArray().Select(t => t.GetProperty("term").GetString()!).ToHashSet();
        var matching = 0;
        foreach (var id in await AllDocumentIds(7))
        {
            var document = await server.Json(await Client.GetAsync("/documents/" + Uri.EscapeDataString(id)));
            matching += document.GetProperty("vector").EnumerateObject().Any(t => queryTerms.Contains(t.Name)) ? 1 : 0;
        }

        Assert.Equal(matching, total.GetProperty("value").GetInt64());
    }

    [Fact]
    public async Task The_document_listing_pages_through_every_live_document_once()
    {
        var stats = await server.Json(await Client.GetAsync("/stats"));
        var ids = await AllDocumentIds(7);
        Assert.Equal(stats.GetProperty("documents").GetInt64(), ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Contains("d22", ids);
        Assert.NotEmpty(stats.GetProperty("sample_queries").EnumerateArray());
    }

    [Theory]
    [InlineData("/search?q=index&from=-1")]
    [InlineData("/search?q=index&from=abc")]
    [InlineData("/search?q=index&from=9995&k=10")]
    [InlineData("/documents?size=0")]
    [InlineData("/documents?from=x")]
    [InlineData("/documents?page=2")]
    public async Task Bad_paging_parameters_are_400_problems(string path) =>
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync(path)).StatusCode);

    [Fact]
    public async Task Past_the_counting_budget_total_is_a_flagged_lower_bound()
    {
        using var directory = TestPaths.Temporary();
        var index = directory.Combine("demo-bm25");
        ServerFixture.BuildDemoIndex(directory, index);
        await using var app = SparseSearchServer.Create(new ServerOptions { IndexPath = index, Urls = "http://127.0.0.1:0", MaxTotalCountPostings = 1 }, new EncoderOptions());
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var exact = await server.Json(await Client.GetAsync("/search?q=index+search+terms&k=2"));
        var bounded = await server.Json(await client.GetAsync("/search?q=index+search+terms&k=2"));
        var total = bounded.GetProperty("total");
        Assert.Equal("gte", total.GetProperty("relation").GetString());
        Assert.InRange(total.GetProperty("value").GetInt64(), 2, exact.GetProperty("total").GetProperty("value").GetInt64());
    }

    private async Task<string[]> Ids(string path) =>
        (await server.Json(await Client.GetAsync(path))).GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetString()!).ToArray();

    private async Task<List<string>> AllDocumentIds(int size)
    {
        var ids = new List<string>();
        for (var from = 0; ; from += size)
        {
            var page = await server.Json(await Client.GetAsync($"/documents?from={from}&size={size}"));
            var documents = page.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("id").GetString()!).ToArray();
            ids.AddRange(documents);
            if (documents.Length < size)
            {
                return ids;
            }
        }
    }
}
