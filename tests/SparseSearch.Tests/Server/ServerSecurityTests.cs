using System.Net;
using System.Net.Http.Json;
using SparseSearch.Core;
using SparseSearch.Encoding;
using SparseSearch.Index.Live;
using SparseSearch.Server;
using SparseSearch.Server.Security;

namespace SparseSearch.Tests.Server;

/// <summary>API keys (401/403/allowed), the loopback rule, CORS, and the host's ownership of the index.</summary>
public class ServerSecurityTests
{
    [Fact]
    public async Task Reads_need_the_read_or_write_key_and_writes_the_write_key()
    {
        using var directory = TestPaths.Temporary();
        var index = directory.Combine("demo-bm25");
        ServerFixture.BuildDemoIndex(directory, index);
        var options = new ServerOptions { IndexPath = index, Urls = "http://127.0.0.1:0", Keys = ApiKeys.Of("r-key", "w-key"), CorsOrigins = ["https://app.example"] };
        await using var app = SparseSearchServer.Create(options, new EncoderOptions());
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/search?q=yeast")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(client, HttpMethod.Get, "/search?q=yeast", "X-API-Key", "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(client, HttpMethod.Get, "/search?q=yeast", "X-API-Key", "r-key")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(client, HttpMethod.Get, "/search?q=yeast", "Authorization", "Bearer w-key")).StatusCode);

        var document = JsonContent.Create(new[] { new { id = "k1", text = "keyed write" } });
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/documents", document)).StatusCode);
        var forbidden = await Send(client, HttpMethod.Post, "/documents", "X-API-Key", "r-key", document);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await Send(client, HttpMethod.Post, "/documents", "X-API-Key", "w-key", document)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(client, HttpMethod.Delete, "/documents/k1", "X-API-Key", "r-key")).StatusCode);

        // CORS: a preflight from the configured origin is allowed, another origin gets no allow header.
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/search");
        preflight.Headers.Add("Origin", "https://app.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        var allowed = await client.SendAsync(preflight);
        Assert.Equal("https://app.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var other = new HttpRequestMessage(HttpMethod.Options, "/search");
        other.Headers.Add("Origin", "https://evil.example");
        other.Headers.Add("Access-Control-Request-Method", "POST");
        Assert.False((await client.SendAsync(other)).Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080", true)]
    [InlineData("http://*:8080", true)]
    [InlineData("http://127.0.0.1:8080;http://192.0.2.10:8080", true)]
    [InlineData("http://127.0.0.1:8080", false)]
    [InlineData("http://localhost:8080;http://[::1]:8080", false)]
    public void An_open_api_is_refused_unless_every_address_is_loopback(string urls, bool refused)
    {
        var load = () => ApiKeys.Load(null, null, urls);
        if (refused)
        {
            Assert.Contains("needs both a read and a write API key", Assert.Throws<InvalidSettingException>(load).Message);
        }
        else
        {
            Assert.False(load().Enabled);
        }
    }

    [Fact]
    public async Task Disposing_the_server_commits_and_releases_the_index()
    {
        using var directory = TestPaths.Temporary();
        var index = directory.Combine("demo-bm25");
        ServerFixture.BuildDemoIndex(directory, index);
        await using (var app = SparseSearchServer.Create(new ServerOptions { IndexPath = index, Urls = "http://127.0.0.1:0" }, new EncoderOptions()))
        {
            await app.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/documents", new[] { new { id = "before-stop", text = "kept" } })).StatusCode);
            Assert.Throws<IndexInUseException>(() => LiveIndex.Open(index, "while serving"));
            await app.StopAsync();
        }

        using var reopened = LiveIndex.Open(index, "after the server");
        Assert.True(reopened.Read(s => s.Find("before-stop")) >= 0);
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, string header, string value, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.TryAddWithoutValidation(header, value);
        return client.SendAsync(request);
    }
}
