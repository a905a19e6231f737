using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SparseSearch.Encoding;
using SparseSearch.Evaluation.Beir;
using SparseSearch.Index;
using SparseSearch.Server;

namespace SparseSearch.Cli.Commands;

/// <summary><c>sparse serve</c>: the HTTP service and search page over an impact index (the embedded demo when none is given).</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var defaults = new ServerOptions { IndexPath = "" };
        var index = CliOptions.IndexPath("impact index to serve and update (default: the embedded demo corpus, indexed with bm25 on first start)");
        var urls = new Option<string>("--urls") { Description = "addresses to listen on, ';'-separated", DefaultValueFactory = _ => defaults.Urls };
        var maxQuery = new Option<int>("--max-query-chars") { Description = "longest accepted query", DefaultValueFactory = _ => defaults.MaxQueryChars };
        var maxK = new Option<int>("--max-k") { Description = "largest k a search may ask for", DefaultValueFactory = _ => defaults.MaxK };
        var maxWindow = new Option<int>("--max-result-window") { Description = "deepest hit a page may reach (from + k)", DefaultValueFactory = _ => defaults.MaxResultWindow };
        var countBudget = new Option<long>("--max-total-count-postings") { Description = "postings a search may read to count its matches exactly; beyond, total is a lower bound (relation gte)", DefaultValueFactory = _ => defaults.MaxTotalCountPostings };
        var maxBody = new Option<long>("--max-body-bytes") { Description = "largest request body", DefaultValueFactory = _ => defaults.MaxBodyBytes };
        var maxDocuments = new Option<int>("--max-documents-per-request") { Description = "most documents in one POST /documents", DefaultValueFactory = _ => defaults.MaxDocumentsPerRequest };
        var timeout = new Option<double>("--request-timeout") { Description = "seconds before a request is cancelled (503)", DefaultValueFactory = _ => defaults.RequestTimeout.TotalSeconds };
        var readKeyFile = new Option<string?>("--read-key-file") { Description = $"file holding the API key for searches and reads (default: env {Server.Security.ApiKeys.ReadKeyVariable}; none: reads are open)" };
        var writeKeyFile = new Option<string?>("--write-key-file") { Description = $"file holding the API key for writes, which also reads (default: env {Server.Security.ApiKeys.WriteKeyVariable}; none: writes are open). Both keys are required unless every --urls address is loopback" };
        var cors = new Option<string[]>("--cors-origins") { Description = "origins browsers may call the API from (CORS), e.g. https://app.example.com; none by default", AllowMultipleArgumentsPerToken = true };
        var encoderFlags = new CliOptions.ServingEncoderFlags();
        var cluster = new Option<bool>("--cluster")
        {
            Description = "serve a cluster instead of an index: the same API as an Orleans client of the silos (sparse silo) found through --membership",
        };
        var clusterFlags = new ClusterFlags();
        var shardTimeout = new Option<double>("--shard-timeout")
        {
            Description = "with --cluster: seconds a shard may take to answer before it counts as failed (a partial answer, or 503 with allow_partial=false)",
            DefaultValueFactory = _ => Cluster.ClusterFrontOptions.DefaultShardTimeout.TotalSeconds,
        };
        var command = new Command("serve", "Serve an index over HTTP: JSON search and document API, search page at /, /metrics, /openapi/v1.json")
        {
            index, urls, maxQuery, maxK, maxWindow, countBudget, maxBody, maxDocuments, timeout, readKeyFile, writeKeyFile, cors,
            cluster, shardTimeout,
        };
        foreach (var option in encoderFlags.All.Concat(clusterFlags.All))
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellation) => CommandRunner.Run(parse.InvocationConfiguration.Error, async () =>
        {
            var format = parse.GetValue(Program.LogFormatOption);
            using var logging = CliLogging.Create(format);
            var logger = logging.CreateLogger("serve");
            if (parse.GetValue(maxQuery) < 1 || parse.GetValue(maxK) < 1 || parse.GetValue(maxBody) < 1024 || parse.GetValue(maxDocuments) < 1
                || !(parse.GetValue(timeout) > 0) || !double.IsFinite(parse.GetValue(timeout)))
            {
                throw new Core.InvalidSettingException("--max-query-chars, --max-k, --max-documents-per-request and --request-timeout must be positive, --max-body-bytes at least 1024");
            }

            ServerUrls.Validate(parse.GetValue(urls)!);

            // Keys before anything slow: an exposed address without keys is refused at once.
            var keys = Server.Security.ApiKeys.Load(parse.GetValue(readKeyFile), parse.GetValue(writeKeyFile), parse.GetValue(urls)!);
            var membership = parse.GetValue(cluster) ? clusterFlags.Read(parse, "sparse serve --cluster") : null;
            if (membership is null && clusterFlags.HasMembership(parse))
            {
                throw new Core.InvalidSettingException("--membership applies with --cluster (serve a cluster); without it, serve serves --index");
            }

            if (membership is not null && parse.GetValue(index) is not null)
            {
                throw new Core.InvalidSettingException("serve --cluster serves the shards the silos open; give --index to sparse silo, not to serve");
            }

            if (!(parse.GetValue(shardTimeout) > 0) || !double.IsFinite(parse.GetValue(shardTimeout)))
            {
                throw new Core.InvalidSettingException("--shard-timeout must be a positive number of seconds");
            }

            var options = new ServerOptions
            {
                IndexPath = membership is not null ? $"cluster {membership.ClusterId}" : parse.GetValue(index) ?? EnsureDemoIndex(logger, cancellation),
                Urls = parse.GetValue(urls)!,
                MaxQueryChars = parse.GetValue(maxQuery),
                MaxK = parse.GetValue(maxK),
                MaxResultWindow = parse.GetValue(maxWindow),
                MaxTotalCountPostings = parse.GetValue(countBudget),
                MaxBodyBytes = parse.GetValue(maxBody),
                MaxDocumentsPerRequest = parse.GetValue(maxDocuments),
                RequestTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                Keys = keys,
                CorsOrigins = parse.GetValue(cors) ?? [],
            };
            var front = new Cluster.ClusterFrontOptions(TimeSpan.FromSeconds(parse.GetValue(shardTimeout)));
            await using var app = membership is not null
                ? SparseSearchServer.Create(options, Cluster.ClusterHosting.CreateBackend, web => Cluster.ClusterHosting.AddClusterBackend(web, membership, front), format == LogFormat.Json)
                : SparseSearchServer.Create(options, encoderFlags.Read(parse), format == LogFormat.Json);
            logger.LogInformation("Serving {Index} on {Urls}", options.IndexPath, options.Urls);
            await ServerUrls.StartAsync(app, options.Urls, membership, cancellation);
            await app.WaitForShutdownAsync(cancellation);
            return 0;
        }));
        return command;
    }

    /// <summary>The demo corpus indexed with bm25 into index/demo-live, built once and reused (with whatever was written to it since).</summary>
    private static string EnsureDemoIndex(ILogger logger, CancellationToken cancellation)
    {
        var directory = new BeirDatasetLocator(BeirDatasetLocator.DefaultCacheDirectory, BeirDatasetLocator.OfficialBaseUrl)
            .Resolve(BeirDatasetLocator.DemoName, null, cancellation);
        using var encoder = EncoderCatalog.Resolve("bm25", new EncoderOptions(null));
        // Its own directory, not eval's index/demo-bm25: the served index changes with every write, while eval of the
        // demo corpus needs the index of exactly that corpus.
        var path = Path.Combine("index", "demo-live");
        if (IndexManifest.ExistsIn(path) && IsChangedThroughTheService(path))
        {
            // Documents were written into it through the API: rebuilding would lose acknowledged writes.
            return path;
        }

        var corpus = new BeirCorpus(BeirDataset.FindCorpus(directory));
        var options = new IndexBuildOptions { QuantizationScale = encoder.DefaultQuantizationScale, Overwrite = true };
        if (!IndexBuilder.EnsureBuilt(corpus, encoder, path, options, null, cancellation))
        {
            logger.LogInformation("Indexed the demo corpus into {Index}", path);
        }

        return path;
    }

    private static bool IsChangedThroughTheService(string path)
    {
        try
        {
            return IndexManifest.Read(path).ChangedSinceBuild;
        }
        catch (Core.SparseSearchException)
        {
            return false; // an older format: rebuilt below
        }
    }
}
