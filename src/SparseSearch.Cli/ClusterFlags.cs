using System.CommandLine;
using SparseSearch.Cluster;

namespace SparseSearch.Cli;

/// <summary>The flags that find a cluster, shared by <c>sparse silo</c> and <c>sparse serve --cluster</c>.</summary>
internal sealed class ClusterFlags
{
    private readonly Option<string?> _membership = new("--membership")
    {
        Description = "Redis connection string of the cluster's membership table, e.g. localhost:6379 (StackExchange.Redis syntax)",
    };

    private readonly Option<string> _clusterId = new("--cluster-id")
    {
        Description = "cluster id: silos and front ends with the same id and Redis form one cluster",
        DefaultValueFactory = _ => ClusterMembership.DefaultClusterId,
    };

    public IEnumerable<Option> All => [_membership, _clusterId];

    public bool HasMembership(ParseResult parse) => parse.GetValue(_membership) is not null;

    public ClusterMembership Read(ParseResult parse, string command)
    {
        var membership = parse.GetValue(_membership);
        if (string.IsNullOrWhiteSpace(membership))
        {
            throw new Core.InvalidSettingException($"{command} needs --membership \"<Redis connection string>\", e.g. --membership localhost:6379");
        }

        var clusterId = parse.GetValue(_clusterId)!;
        if (string.IsNullOrWhiteSpace(clusterId))
        {
            throw new Core.InvalidSettingException("--cluster-id must not be empty");
        }

        try
        {
            StackExchange.Redis.ConfigurationOptions.Parse(membership);
        }
        catch (ArgumentException e)
        {
            throw new Core.InvalidSettingException($"--membership '{membership}' is not a Redis connection string: {e.Message}");
        }

        return new ClusterMembership(membership, clusterId);
    }
}
