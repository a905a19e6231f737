using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SparseSearch.Cluster;
using SparseSearch.Encoding;
using SparseSearch.Index.Sharding;

namespace SparseSearch.Cli.Commands;

/// <summary>
/// <c>sparse silo</c>: one Orleans silo of a cluster. It serves whichever shards of the sharded index the cluster
/// places on it (a shard is a grain that opens <c>DIR/shard-&lt;i&gt;</c>); when a silo dies, its shards open on the
/// others at their next request.
/// </summary>
internal static class SiloCommand
{
    public static Command Create()
    {
        var index = CliOptions.IndexPath("sharded index (built with sparse index --shards N) on storage every silo reaches");
        var clusterFlags = new ClusterFlags();
        var siloPort = new Option<int>("--silo-port") { Description = "port silos talk to each other on", DefaultValueFactory = _ => 11111 };
        var gatewayPort = new Option<int>("--gateway-port") { Description = "port front ends (serve --cluster) connect to", DefaultValueFactory = _ => 30000 };
        var probeTimeout = new Option<double>("--probe-timeout")
        {
            Description = "seconds between liveness probes of peer silos, and how long one may take (Orleans' default is 5)",
            DefaultValueFactory = _ => FailureDetection.Default.ProbeTimeout.TotalSeconds,
        };
        var missedProbes = new Option<int>("--missed-probes")
        {
            Description = "missed probes in a row before a silo votes a peer dead (Orleans' default is 3)",
            DefaultValueFactory = _ => FailureDetection.Default.MissedProbesLimit,
        };
        var encoderFlags = new CliOptions.ServingEncoderFlags();
        var command = new Command("silo", "Run one silo of a cluster serving the shards of a sharded index (Orleans, Redis membership)")
        {
            index, siloPort, gatewayPort, probeTimeout, missedProbes,
        };
        foreach (var option in encoderFlags.All.Concat(clusterFlags.All))
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellation) => CommandRunner.Run(parse.InvocationConfiguration.Error, async () =>
        {
            var format = parse.GetValue(Program.LogFormatOption);
            using var logging = CliLogging.Create(format);
            var logger = logging.CreateLogger("silo");
            var path = parse.GetValue(index) ?? throw new Core.InvalidSettingException("sparse silo needs --index DIR, a sharded index (sparse index --shards N)");
            var cluster = ClusterManifest.Read(path);
            var membership = clusterFlags.Read(parse, "sparse silo");
            var ports = (Silo: parse.GetValue(siloPort), Gateway: parse.GetValue(gatewayPort));
            if (ports.Silo is < 1 or > 65535 || ports.Gateway is < 1 or > 65535 || ports.Silo == ports.Gateway)
            {
                throw new Core.InvalidSettingException("--silo-port and --gateway-port must be two different ports between 1 and 65535");
            }

            var detection = new FailureDetection(TimeSpan.FromSeconds(parse.GetValue(probeTimeout)), parse.GetValue(missedProbes));
            if (!(detection.ProbeTimeout > TimeSpan.Zero) || detection.MissedProbesLimit < 1)
            {
                throw new Core.InvalidSettingException("--probe-timeout must be positive and --missed-probes at least 1");
            }

            var shards = new ShardHostOptions(Path.GetFullPath(path), encoderFlags.Read(parse));
            var builder = Host.CreateApplicationBuilder();
            CliLogging.ConfigureHost(builder.Logging, format);
            builder.UseOrleans(silo => silo.UseMembership(membership, ports.Silo, ports.Gateway).AddShards(shards, detection));
            using var host = builder.Build();
            logger.LogInformation("Silo for {Shards} shards of {Index} joining cluster {ClusterId} through {Membership} (silo port {SiloPort}, gateway {GatewayPort})",
                cluster.Shards, path, membership.ClusterId, membership.Membership, ports.Silo, ports.Gateway);
            await ClusterStartup.StartAsync(host, membership, cancellation);
            logger.LogInformation("Silo up");
            await host.WaitForShutdownAsync(cancellation);
            return 0;
        }));
        return command;
    }
}
