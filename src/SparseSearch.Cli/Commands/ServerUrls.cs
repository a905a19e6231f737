using Microsoft.AspNetCore.Builder;
using SparseSearch.Core;

namespace SparseSearch.Cli.Commands;

/// <summary>Checks <c>--urls</c> before Kestrel sees it, and turns a port that cannot be bound into a user error.</summary>
internal static class ServerUrls
{
    public static void Validate(string urls)
    {
        var parts = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            throw new InvalidSettingException("--urls is empty; give at least one address such as http://127.0.0.1:8080");
        }

        foreach (var part in parts)
        {
            // Kestrel accepts http://*:port and http://+:port, which Uri does not parse as hosts.
            var probe = part.Replace("://*", "://localhost").Replace("://+", "://localhost");
            if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
            {
                throw new InvalidSettingException($"--urls: '{part}' is not an address to listen on; expected http://HOST:PORT (e.g. http://127.0.0.1:8080)");
            }
        }
    }

    public static async Task StartAsync(WebApplication app, string urls, Cluster.ClusterMembership? membership, CancellationToken cancellation)
    {
        try
        {
            if (membership is null)
            {
                await app.StartAsync(cancellation);
            }
            else
            {
                await Cluster.ClusterStartup.StartAsync(app, membership, cancellation);
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException && e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidSettingException($"cannot listen on {urls}: {e.Message}");
        }
    }
}
