using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using SparseSearch.Tests.Server;

namespace SparseSearch.Tests.Cluster;

/// <summary>
/// A cluster of separate processes on loopback: a Redis membership table, <c>sparse silo</c> processes serving a sharded
/// index, and a <c>sparse serve --cluster</c> front end, as a deployment runs them.
/// </summary>
internal sealed class LoopbackCluster : IDisposable
{
    private readonly RedisServer _redis;
    private readonly List<SparseProcess> _silos = [];
    private readonly SparseProcess _front;

    private LoopbackCluster(RedisServer redis, List<SparseProcess> silos, SparseProcess front, HttpClient client)
    {
        _redis = redis;
        _silos = silos;
        _front = front;
        Client = client;
    }

    public HttpClient Client { get; }

    public IReadOnlyList<SparseProcess> Silos => _silos;

    public string Logs => string.Join("\n", _silos.Select((s, i) => $"--- silo {i} (pid {s.Id})\n{s.Error}").Append($"--- front end\n{_front.Error}"));

    public static async Task<LoopbackCluster> StartAsync(string index, int silos, params string[] frontFlags)
    {
        var redis = await RedisServer.StartAsync();
        var started = new List<SparseProcess>();
        SparseProcess? front = null;
        try
        {
            var clusterId = "test-" + Guid.NewGuid().ToString("N")[..8];
            for (var i = 0; i < silos; i++)
            {
                started.Add(SparseProcess.Start("silo", "--index", index, "--membership", redis.ConnectionString, "--cluster-id", clusterId,
                    "--silo-port", SparseProcess.FreePort().ToString(), "--gateway-port", SparseProcess.FreePort().ToString(), "--probe-timeout", "1"));
            }

            // Every silo a member before the first shard is placed, so shards spread over all of them.
            await WaitForAll(started, "Silo up");
            var url = $"http://127.0.0.1:{SparseProcess.FreePort()}";
            front = SparseProcess.Start(["serve", "--cluster", "--membership", redis.ConnectionString, "--cluster-id", clusterId, "--urls", url, .. frontFlags]);
            var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
            await WaitUntilEveryShardAnswers(client, started, front);
            return new LoopbackCluster(redis, started, front, client);
        }
        catch
        {
            front?.Dispose();
            started.ForEach(s => s.Dispose());
            redis.Dispose();
            throw;
        }
    }

    private static async Task WaitForAll(List<SparseProcess> processes, string logLine)
    {
        var clock = Stopwatch.StartNew();
        while (!processes.All(p => p.Error.Contains(logLine, StringComparison.Ordinal)))
        {
            if (processes.FirstOrDefault(p => p.HasExited) is { } exited)
            {
                throw new InvalidOperationException($"a silo exited: {exited.Error}");
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(90))
            {
                throw new TimeoutException($"silos did not log '{logLine}' within 90 s: {string.Join("\n", processes.Select(p => p.Error))}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Every silo up and every shard answering /stats through the front end.</summary>
    private static async Task WaitUntilEveryShardAnswers(HttpClient client, List<SparseProcess> silos, SparseProcess front)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (silos.Concat([front]).FirstOrDefault(p => p.HasExited) is { } exited)
            {
                throw new InvalidOperationException($"a cluster process exited: {exited.Error}");
            }

            try
            {
                var response = await client.GetAsync("/stats");
                if (response.StatusCode == HttpStatusCode.OK
                    && (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("shards").EnumerateArray().All(s => s.GetProperty("available").GetBoolean()))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // The front end is not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"the cluster did not answer for every shard within 90 s: {front.Error}");
    }

    public void Dispose()
    {
        Client.Dispose();
        _front.Dispose();
        _silos.ForEach(s => s.Dispose());
        _redis.Dispose();
    }
}
