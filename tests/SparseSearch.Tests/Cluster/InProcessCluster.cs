using Microsoft.Extensions.Logging.Abstractions;
using Orleans.TestingHost;
using SparseSearch.Cluster;
using SparseSearch.Encoding;

namespace SparseSearch.Tests.Cluster;

/// <summary>Silos in this process (Orleans' testing host) serving the shards of one sharded index, and a front-end backend over them.</summary>
internal sealed class InProcessCluster : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;

    private InProcessCluster(InProcessTestCluster cluster, TimeSpan shardTimeout)
    {
        _cluster = cluster;
        Backend = new ClusterSearchBackend(cluster.Client, new ClusterFrontOptions(shardTimeout), NullLogger<ClusterSearchBackend>.Instance);
    }

    public ClusterSearchBackend Backend { get; }

    public static async Task<InProcessCluster> StartAsync(string index, short silos, TimeSpan? shardTimeout = null)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((_, silo) => silo.AddShards(new ShardHostOptions(index, new EncoderOptions()), FailureDetection.Default));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new InProcessCluster(cluster, shardTimeout ?? TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        Backend.Dispose();
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }
}
