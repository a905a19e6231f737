using SparseSearch.Core;
using SparseSearch.Encoding;
using SparseSearch.Encoding.Bm25;

namespace SparseSearch.Index.Sharding;

/// <summary>
/// Builds an index split into shards in one job: <c>DIR/shard-&lt;i&gt;</c>, each an ordinary index (crash-safe and
/// resumable), built in parallel, then <see cref="ClusterManifest"/>. Every shard is weighed with the whole corpus's
/// BM25 length statistics and tags its documents with their corpus position, so the shards together score and order
/// exactly as one index of the corpus would.
/// </summary>
public static class ShardedIndexBuilder
{
    public const int MaxShards = 1024;

    /// <summary>Builds or reuses every shard, then writes the manifest. Returns whether every shard was reused.</summary>
    public static bool EnsureBuilt(ICorpusSource source, EncoderDefinition encoder, string path, IndexBuildOptions options, int shards,
        IProgress<JobProgress>? progress = null, CancellationToken cancellation = default)
    {
        if (encoder.Kind != IndexKind.Impact)
        {
            throw new InvalidSettingException($"encoder '{encoder.Name}' writes a Lucene text index; shards hold impact indexes (use bm25 for BM25)");
        }

        Prepare(path, shards, options);
        var fingerprint = source.Fingerprint();
        var statistics = encoder.NeedsCorpusStatistics ? StatisticsOf(source, encoder, path, shards, fingerprint, options, progress, cancellation) : null;
        var shardOptions = options with { CorpusStatistics = statistics };
        return BuildShards(path, shards, encoder.Name, cancellation, (shard, shardPath) =>
            IndexBuilder.EnsureBuilt(new ShardCorpusSource(source, fingerprint, shard, shards), encoder, shardPath, shardOptions, ShardProgress(progress, shard), cancellation));
    }

    /// <summary>
    /// Builds or reuses every shard of pre-encoded documents (<c>sparse index --vectors</c>, the bench's corpus), in
    /// parallel, then the manifest. Returns whether every shard was reused.
    /// </summary>
    public static bool EnsureBuiltFromVectors(IEncodedCorpusSource source, PrecomputedEncoderDefinition encoder, string path, IndexBuildOptions options, int shards,
        IProgress<JobProgress>? progress = null, CancellationToken cancellation = default)
    {
        Prepare(path, shards, options);
        var fingerprint = source.Fingerprint();
        return BuildShards(path, shards, encoder.Name, cancellation, (shard, shardPath) =>
        {
            var shardSource = new ShardEncodedSource(source, fingerprint, shard, shards);
            if (IndexBuilder.FindReusable(shardPath, encoder, shardSource.Description, shardSource.Fingerprint, options.QuantizationScale, options.Overwrite,
                approximate: options.Approximate) is not null)
            {
                return true;
            }

            IndexBuilder.BuildFromVectors(shardSource, encoder, shardPath, options, ShardProgress(progress, shard), cancellation);
            return false;
        });
    }

    /// <summary>Builds (or reuses) each shard, as many at once as there are cores, then writes the cluster manifest last.</summary>
    private static bool BuildShards(string path, int shards, string encoder, CancellationToken cancellation, Func<int, string, bool> buildShard)
    {
        var reused = new bool[shards];
        Parallel.For(0, shards, new ParallelOptions { CancellationToken = cancellation, MaxDegreeOfParallelism = Math.Min(shards, Environment.ProcessorCount) },
            shard => reused[shard] = buildShard(shard, ClusterManifest.ShardPath(path, shard)));
        var documents = Enumerable.Range(0, shards).Sum(shard => IndexManifest.Read(ClusterManifest.ShardPath(path, shard)).DocumentCount);
        new ClusterManifest(ClusterManifest.CurrentFormatVersion, shards, ShardRouting.Name, encoder, documents).Write(path);
        return reused.All(r => r);
    }

    private static Progress? ShardProgress(IProgress<JobProgress>? progress, int shard) => progress is null ? null : new Progress(progress, shard);

    /// <summary>Refuses a directory that is not a sharded index (unless overwriting) and clears one of another shard count.</summary>
    private static void Prepare(string path, int shards, IndexBuildOptions options)
    {
        if (shards is < 1 or > MaxShards)
        {
            throw new InvalidSettingException($"--shards must be between 1 and {MaxShards}, found {shards}");
        }

        if (!options.Overwrite && Directory.Exists(path) && !ClusterManifest.ExistsIn(path)
            && Directory.EnumerateFileSystemEntries(path).Any(e => !Path.GetFileName(e).StartsWith("shard-", StringComparison.Ordinal)))
        {
            throw new IndexMismatchException($"{path} exists and is not a sharded SparseSearch index; pass --overwrite or choose another --index");
        }

        if (ClusterManifest.ExistsIn(path) && ClusterManifest.Read(path) is { } existing && existing.Shards != shards)
        {
            if (!options.Overwrite)
            {
                throw new IndexMismatchException($"{path} holds {existing.Shards} shards, not {shards}; pass --overwrite to rebuild it, or another --index");
            }

            // Documents route by id modulo the shard count: a new count re-routes nearly every document. Start clean.
            Directory.Delete(path, recursive: true);
        }
    }

    /// <summary>
    /// The whole corpus's statistics, measured once: taken from a shard already built from this corpus when there is
    /// one (a rerun after a kill must not weigh the remaining shards differently), measured otherwise.
    /// </summary>
    private static CorpusLengthStatistics StatisticsOf(ICorpusSource source, EncoderDefinition encoder, string path, int shards, string fingerprint,
        IndexBuildOptions options, IProgress<JobProgress>? progress, CancellationToken cancellation)
    {
        for (var shard = 0; shard < shards; shard++)
        {
            var shardPath = ClusterManifest.ShardPath(path, shard);
            if (!options.Overwrite && IndexManifest.ExistsIn(shardPath) && IndexManifest.Read(shardPath) is { CorpusStatistics: { } built } manifest
                && manifest.SourceSha256 == new ShardCorpusSource(source, fingerprint, shard, shards).Fingerprint())
            {
                return built;
            }
        }

        progress?.Report(new JobProgress("statistics", 0, source.KnownCount, TimeSpan.Zero));
        return CorpusLengthStatistics.Measure(source.Read(cancellation), encoder.Analyzer, cancellation);
    }

    /// <summary>A shard's progress under its own phase name (<c>shard 2: encode</c>).</summary>
    private sealed class Progress(IProgress<JobProgress> inner, int shard) : IProgress<JobProgress>
    {
        public void Report(JobProgress value) => inner.Report(value with { Phase = $"shard {shard}: {value.Phase}" });
    }
}
