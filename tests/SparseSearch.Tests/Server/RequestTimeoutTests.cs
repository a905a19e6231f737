using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using SparseSearch.Encoding;
using SparseSearch.Server;

namespace SparseSearch.Tests.Server;

/// <summary>A request still running when the server-side timeout passes is cancelled and answered 503 with a problem body.</summary>
public class RequestTimeoutTests
{
    [Fact]
    public async Task A_request_outlasting_the_timeout_gets_a_503_problem_and_the_server_stays_up()
    {
        using var directory = TestPaths.Temporary();
        var index = directory.Combine("demo");
        ServerFixture.BuildDemoIndex(directory, index);
        await using var app = SparseSearchServer.Create(
            new ServerOptions { IndexPath = index, Urls = "http://127.0.0.1:0", RequestTimeout = TimeSpan.FromMilliseconds(300) }, new EncoderOptions());
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        // The client sends half the body, then pauses past the timeout: the handler is still reading when it fires.
        var response = await client.PostAsync("/search", new SlowContent("{\"query\": \"inv", "erted index\"}", TimeSpan.FromSeconds(1.5)));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(503, problem.GetProperty("status").GetInt32());

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/search?q=inverted+index")).StatusCode);
        await app.StopAsync();
    }

    private sealed class SlowContent(string first, string second, TimeSpan pause) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(first));
            await stream.FlushAsync();
            await Task.Delay(pause);
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(second));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = System.Text.Encoding.UTF8.GetByteCount(first + second);
            return true;
        }
    }
}
