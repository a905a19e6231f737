using Orleans.Configuration;

namespace SparseSearch.Cluster;

/// <summary>Where a cluster's members find each other: Redis membership, one cluster id per deployment.</summary>
/// <param name="Membership">A StackExchange.Redis connection string (<c>localhost:6379</c>).</param>
/// <param name="ClusterId">Separates clusters sharing one Redis; silos and front ends of one cluster use the same.</param>
public sealed record ClusterMembership(string Membership, string ClusterId)
{
    public const string DefaultClusterId = "sparsesearch";

    /// <summary>Orleans' service id: the same for every SparseSearch cluster (it names stored state, of which there is none).</summary>
    public const string ServiceId = "sparsesearch";
}

/// <summary>
/// How silos detect a dead member. Orleans' defaults (probe every 5 s, 3 missed probes, 2 votes) take 15-30 s to
/// declare a killed silo dead; a shard is away until then. These defaults halve that on a LAN; raise them where the
/// network is slower than the probes.
/// </summary>
/// <param name="ProbeTimeout">How often a silo probes the ones it watches, and how long a probe may take.</param>
/// <param name="MissedProbesLimit">Missed probes in a row before a silo votes its peer dead.</param>
public sealed record FailureDetection(TimeSpan ProbeTimeout, int MissedProbesLimit)
{
    public static FailureDetection Default { get; } = new(TimeSpan.FromSeconds(2), 3);
}

/// <summary>Orleans configuration for the silos (<c>sparse silo</c>) and the front end (<c>sparse serve --cluster</c>).</summary>
public static class ClusterHosting
{
    /// <summary>A silo that serves the shards of <paramref name="shards"/> on demand.</summary>
    public static ISiloBuilder AddShards(this ISiloBuilder silo, ShardHostOptions shards, FailureDetection detection)
    {
        silo.Services.AddSingleton(shards);
        silo.Configure<ClusterMembershipOptions>(membership =>
        {
            membership.ProbeTimeout = detection.ProbeTimeout;
            membership.NumMissedProbesLimit = detection.MissedProbesLimit;
        });
        return silo;
    }

    public static ISiloBuilder UseMembership(this ISiloBuilder silo, ClusterMembership membership, int siloPort, int gatewayPort)
    {
        silo.UseRedisClustering(membership.Membership);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = membership.ClusterId;
            o.ServiceId = ClusterMembership.ServiceId;
        });
        silo.ConfigureEndpoints(siloPort, gatewayPort, listenOnAnyHostAddress: true);
        return silo;
    }

    public static IClientBuilder UseMembership(this IClientBuilder client, ClusterMembership membership)
    {
        client.UseRedisClustering(membership.Membership);
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = membership.ClusterId;
            o.ServiceId = ClusterMembership.ServiceId;
        });
        return client;
    }

    /// <summary>The HTTP API over the cluster: registers the Orleans client and the backend that scatters to the shards.</summary>
    public static void AddClusterBackend(this Microsoft.AspNetCore.Builder.WebApplicationBuilder web, ClusterMembership membership, ClusterFrontOptions options)
    {
        web.UseOrleansClient(client => client.UseMembership(membership));
        // The client's connection chatter only from warnings up; requests and shard failures are logged by the service.
        web.Logging.AddFilter("Orleans", LogLevel.Warning);
        web.Services.AddSingleton(options);
    }

    public static Server.Indexing.ISearchBackend CreateBackend(IServiceProvider services) => new ClusterSearchBackend(
        services.GetRequiredService<IClusterClient>(), services.GetRequiredService<ClusterFrontOptions>(), services.GetRequiredService<ILogger<ClusterSearchBackend>>());
}
