using System.Net;
using System.Text;
using Xunit.Abstractions;

namespace SparseSearch.Tests.Server;

/// <summary>
/// Seeded hostile requests against the live service: valid bodies mutated byte by byte, truncated, deeply nested,
/// with invalid UTF-8, huge numbers and random query strings. None may produce a 5xx, and the service must still
/// answer correctly afterwards.
/// </summary>
public class ServerFuzzTests(ServerFixture server, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private const int Cases = 1500;

    private static readonly string[] Seeds =
    [
        "{\"query\": \"inverted index\", \"k\": 5, \"explain\": true}",
        "[{\"id\": \"fz\", \"title\": \"t\", \"text\": \"fuzzing text\"}]",
        "[{\"id\": \"fv\", \"vector\": {\"a\": 1.5, \"b\": 0.25}}]",
    ];

    [Fact]
    [Trait("Category", "Fuzz")]
    public async Task Hostile_requests_never_get_a_server_error()
    {
        var random = new Random(11);
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < Cases; i++)
        {
            var (method, path, body) = Case(random, i);
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            }

            using var response = await server.Client.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Assert.True(status < 500, $"case {i}: {method} {path} {(body is null ? "" : System.Text.Encoding.UTF8.GetString(body))} -> {status}: {await response.Content.ReadAsStringAsync()}");
        }

        output.WriteLine($"{Cases} hostile requests: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Value}× {s.Key}")));
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/search?q=inverted+index")).StatusCode);
    }

    private static (HttpMethod, string, byte[]?) Case(Random random, int i)
    {
        var seed = Seeds[i % Seeds.Length];
        var path = seed.StartsWith('{') ? "/search" : "/documents";
        var bytes = System.Text.Encoding.UTF8.GetBytes(seed).ToList();
        switch (random.Next(8))
        {
            case 0:
                // Random query string, including percent-encoded control and invalid UTF-8 bytes.
                var query = string.Concat(Enumerable.Range(0, random.Next(0, 40)).Select(_ => $"%{random.Next(256):X2}"));
                return (HttpMethod.Get, $"/search?q={query}&k={random.Next(-5, 2000)}", null);
            case 1:
                bytes = bytes.Take(random.Next(bytes.Count)).ToList();
                break;
            case 2:
                var nested = new string('[', random.Next(1, 5000)) + new string(']', random.Next(0, 5000));
                return (HttpMethod.Post, path, System.Text.Encoding.UTF8.GetBytes(nested));
            case 3:
                bytes.Insert(random.Next(bytes.Count), (byte)random.Next(0x80, 0x100));
                break;
            case 4:
                var huge = seed.Replace("5", new string('9', random.Next(20, 400))).Replace("1.5", "1e" + random.Next(30, 400));
                return (HttpMethod.Post, path, System.Text.Encoding.UTF8.GetBytes(huge));
            case 5:
                return (HttpMethod.Delete, "/documents/" + Uri.EscapeDataString(new string((char)random.Next(1, 0xD7FF), random.Next(1, 30))), null);
            default:
                for (var m = random.Next(1, 6); m > 0; m--)
                {
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                }

                break;
        }

        return (HttpMethod.Post, path, bytes.ToArray());
    }
}
