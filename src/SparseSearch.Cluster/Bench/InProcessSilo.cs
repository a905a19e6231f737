using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using SparseSearch.Encoding;

namespace SparseSearch.Cluster.Bench;

/// <summary>
/// One silo and one client in this process, talking over loopback TCP through the silo's gateway as a front end and
/// a silo on two machines would (serialization and messaging included): what the bench times a cluster through.
/// </summary>
internal sealed class InProcessSilo : IAsyncDisposable
{
    private readonly IHost _silo;
    private readonly IHost _client;

    private InProcessSilo(IHost silo, IHost client)
    {
        _silo = silo;
        _client = client;
        Backend = new ClusterSearchBackend(client.Services.GetRequiredService<IClusterClient>(), new ClusterFrontOptions(TimeSpan.FromMinutes(5)),
            NullLogger<ClusterSearchBackend>.Instance);
    }

    public ClusterSearchBackend Backend { get; }

    public static async Task<InProcessSilo> StartAsync(string index, CancellationToken cancellation)
    {
        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        var siloBuilder = Host.CreateApplicationBuilder();
        siloBuilder.Logging.ClearProviders();
        siloBuilder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort, gatewayPort)
            .AddShards(new ShardHostOptions(index, new EncoderOptions()), FailureDetection.Default));
        var silo = siloBuilder.Build();
        await silo.StartAsync(cancellation);

        var clientBuilder = Host.CreateApplicationBuilder();
        clientBuilder.Logging.ClearProviders();
        clientBuilder.UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort));
        var client = clientBuilder.Build();
        await client.StartAsync(cancellation);
        return new InProcessSilo(silo, client);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _client.StopAsync();
        _client.Dispose();
        await _silo.StopAsync();
        _silo.Dispose();
    }
}
