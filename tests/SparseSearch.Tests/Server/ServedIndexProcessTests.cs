using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using SparseSearch.Index.Live;
using Xunit.Abstractions;

namespace SparseSearch.Tests.Server;

/// <summary>
/// Separate server processes on one index, as an operator would start them: the OS-level writer lock must exclude
/// the second writer, and a SIGKILL must lose no acknowledged write.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class ServedIndexProcessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_second_server_and_a_rebuild_are_refused_while_the_first_server_keeps_answering()
    {
        using var directory = TestPaths.Temporary();
        var index = directory.Combine("demo-bm25");
        ServerFixture.BuildDemoIndex(directory, index);
        var (first, client) = await SparseProcess.Serve(index);
        using (first)
        using (client)
        {
            using var second = SparseProcess.Start("serve", "--index", index, "--urls", $"http://127.0.0.1:{SparseProcess.FreePort()}");
            Assert.Equal(2, second.WaitForExit(TimeSpan.FromSeconds(60)));
            Assert.Contains("in use by another process", second.Error);
            Assert.Contains("sparse serve", second.Error);

            using var rebuild = SparseProcess.Start("index", "--dataset", "demo", "--data-dir", directory.Combine("cache"), "--index", index, "--overwrite");
            Assert.Equal(2, rebuild.WaitForExit(TimeSpan.FromSeconds(60)));
            Assert.Contains("in use by another process", rebuild.Error);

            var posted = await client.PostAsJsonAsync("/documents", new[] { new { id = "twin-a", text = "still the only writer" } });
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/documents/twin-a")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/search?q=writer")).StatusCode);
        }
    }

    [Fact]
    public async Task Sigkill_during_a_write_storm_loses_no_acknowledged_write()
    {
        using var directory = TestPaths.Temporary();
        var index = directory.Combine("demo-bm25");
        ServerFixture.BuildDemoIndex(directory, index);
        var acknowledged = new ConcurrentBag<string>();
        var (server, client) = await SparseProcess.Serve(index);
        using (server)
        using (client)
        {
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
            {
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    var ids = Enumerable.Range(0, 1 + (n % 3)).Select(i => $"w{w}-{n}-{i}").ToArray();
                    try
                    {
                        var response = await client.PostAsJsonAsync("/documents", ids.Select(id => new { id, text = $"storm document {id} about sparse retrieval" }).ToArray());
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            foreach (var id in ids)
                            {
                                acknowledged.Add(id);
                            }
                        }
                    }
                    catch (HttpRequestException)
                    {
                        // The server died under this request: not acknowledged.
                    }
                    catch (TaskCanceledException)
                    {
                    }
                }
            })).ToArray();

            // Kill mid-storm, without warning (no shutdown commit runs), once enough writes were acknowledged for the
            // check to mean something: counted, not timed, so a slow machine only makes the storm longer.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (acknowledged.Count < 60 && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(20);
            }

            server.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        Assert.True(acknowledged.Count >= 60, $"only {acknowledged.Count} writes were acknowledged in 60 s");
        using var reopened = LiveIndex.Open(index, "check after kill");
        var lost = acknowledged.Where(id => reopened.Read(s => s.Find(id)) < 0).ToArray();
        output.WriteLine($"{acknowledged.Count} acknowledged, {lost.Length} lost");
        Assert.Empty(lost);
    }
}
