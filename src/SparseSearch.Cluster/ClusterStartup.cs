using SparseSearch.Core;

namespace SparseSearch.Cluster;

/// <summary>Starts a silo or front-end host, turning an unreachable membership store into one clear error.</summary>
public static class ClusterStartup
{
    public static async Task StartAsync(IHost host, ClusterMembership membership, CancellationToken cancellation)
    {
        try
        {
            await host.StartAsync(cancellation);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            throw new InvalidSettingException($"cannot reach the membership store at '{membership.Membership}' (Redis): {Innermost(e).Message}");
        }
    }

    private static bool IsRedisFailure(Exception e) =>
        Chain(e).Any(x => x.GetType().Namespace?.StartsWith("StackExchange.Redis", StringComparison.Ordinal) == true);

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
            if (x is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }

    private static Exception Innermost(Exception e) => Chain(e).Last();
}
