using System.Net;
using System.Text;
using Xunit.Abstractions;

namespace SparseSearch.Tests.Server;

/// <summary>
/// Seeded hostile requests against the live service: valid bodies mutated byte by byte, truncated, deeply nested,
/// with invalid UTF-8, escaped lone surrogates, duplicate keys, wrong types, huge numbers and bodies, bad content types,
/// ids with slashes and random query strings. None may produce a 5xx, and the service must still
/// answer correctly afterwards.
/// </summary>
public class ServerFuzzTests(ServerFixture server, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private const int Cases = 10_000;

    private static readonly string[] Seeds =
    [
        "{\"query\": \"inverted index\", \"k\": 5, \"explain\": true}",
        "[{\"id\": \"fz\", \"title\": \"t\", \"text\": \"fuzzing text\"}]",
        "[{\"id\": \"fv\", \"vector\": {\"a\": 1.5, \"b\": 0.25}}]",
    ];

    /// <summary>Mostly JSON; the rest wrong, odd or missing (null: no header at all).</summary>
    private static readonly string?[] ContentTypes =
    [
        "application/json", "application/json", "application/json", "application/json; charset=utf-8", "application/json",
        "text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/jsonx", "", ";;;", null,
    ];

    /// <summary>Valid JSON that is hostile in its content.</summary>
    private static readonly string[] HostileJson =
    [
        "{\"query\": \"x \\ud800\"}",
        "{\"query\": \"\\udc00\\ud800\", \"k\": 3}",
        "[{\"id\": \"\\ud800\", \"text\": \"t\"}]",
        "[{\"id\": \"a\", \"text\": \"caf\\udfff\"}]",
        "[{\"id\": \"a\", \"title\": \"\\ud83d\", \"text\": \"t\"}]",
        "[{\"id\": \"v\", \"vector\": {\"\\ud800\": 1}}]",
        "[{\"id\": \"v\", \"vector\": {\"a\": 1, \"a\": 2}}]",
        "{\"query\": \"a\", \"query\": \"b\"}",
        "[{\"id\": \"d\", \"id\": \"e\", \"text\": \"t\"}]",
        "{\"query\": 5}",
        "{\"query\": [\"a\"], \"k\": \"ten\"}",
        "{\"query\": \"a\", \"k\": 1.5}",
        "{\"query\": \"a\", \"explain\": \"yes\"}",
        "[{\"id\": 7, \"text\": \"t\"}]",
        "[{\"id\": \"a/b/c\", \"text\": \"slashes in ids\"}]",
        "[{\"id\": \"n\", \"vector\": {\"a\": -1}}]",
        "[{\"id\": \"n\", \"vector\": {\"a\": \"1\"}}]",
        "[{\"id\": \"n\", \"vector\": {\"a\": 1e39}}]",
        "[{\"id\": \"n\", \"vector\": []}]",
        "[null]",
        "[[]]",
        "{}",
        "null",
        "\"query\"",
        "[{\"id\": \"\", \"text\": \"t\"}]",
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
                var type = ContentTypes[random.Next(ContentTypes.Length)];
                if (type is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
                }
            }

            // A client that sends a body larger than the server accepts should ask first (Expect: 100-continue): the
            // server then answers 413 before the body is sent, instead of resetting a connection still sending it.
            request.Headers.ExpectContinue = body is { Length: > 60_000 };
            HttpResponseMessage response;
            try
            {
                response = await server.Client.SendAsync(request);
            }
            catch (HttpRequestException e)
            {
                throw new InvalidOperationException($"case {i}: {method} {path} ({body?.Length} bytes) failed in transport", e);
            }

            using var _ = response;
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
        switch (random.Next(12))
        {
            case 8:
                var hostile = HostileJson[random.Next(HostileJson.Length)];
                return (HttpMethod.Post, hostile.StartsWith('{') ? "/search" : "/documents", System.Text.Encoding.UTF8.GetBytes(hostile));
            case 9:
                // A body over the server's limit (64 KiB here): 413, never a 5xx.
                var big = "[{\"id\": \"big\", \"text\": \"" + new string('x', random.Next(60_000, 200_000)) + "\"}]";
                return (HttpMethod.Post, "/documents", System.Text.Encoding.UTF8.GetBytes(big));
            case 10:
                var id = string.Join('/', Enumerable.Range(0, random.Next(1, 4)).Select(_ => Uri.EscapeDataString(((char)random.Next(0x20, 0x7F)).ToString() + random.Next(100))));
                return (random.Next(2) == 0 ? HttpMethod.Get : HttpMethod.Delete, "/documents/" + id, null);
            case 11:
                // Percent-encoded lone surrogates and stray bytes in the query string of GET /search and in ids.
                return (HttpMethod.Get, random.Next(2) == 0 ? "/search?q=a%ED%A0%80b" : "/documents/%ED%A0%80%FF", null);
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
