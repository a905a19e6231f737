using System.Text.Json;
using SparseSearch.Core;

namespace SparseSearch.Index.Sharding;

/// <summary>
/// <c>sparse-cluster.json</c>: an index split into shards, each a complete index of its own under <c>shard-&lt;i&gt;</c>
/// (crash-safe and resumable as any index), documents routed by <see cref="ShardRouting"/>. Written last, once every
/// shard is built, so a directory with it is a complete sharded index.
/// </summary>
public sealed record ClusterManifest(int FormatVersion, int Shards, string Routing, string Encoder, long DocumentCount)
{
    public const string FileName = "sparse-cluster.json";
    public const int CurrentFormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static bool ExistsIn(string path) => File.Exists(Path.Combine(path, FileName));

    public static string ShardPath(string path, int shard) => Path.Combine(path, $"shard-{shard}");

    public static ClusterManifest Read(string path)
    {
        var file = Path.Combine(path, FileName);
        if (!File.Exists(file))
        {
            throw new IndexMismatchException($"{path} is not a sharded index (no {FileName}); build one with sparse index --shards N");
        }

        var manifest = ManifestFile.Read<ClusterManifest>(file, Json, "cluster manifest");
        if (manifest.FormatVersion != CurrentFormatVersion)
        {
            throw new IndexMismatchException($"{file} has format version {manifest.FormatVersion}; this build reads {CurrentFormatVersion}: rebuild with --overwrite");
        }

        return manifest.Routing == ShardRouting.Name && manifest.Shards >= 1
            ? manifest
            : throw new IndexMismatchException($"{file} routes documents by '{manifest.Routing}' over {manifest.Shards} shards; this build routes by {ShardRouting.Name}");
    }

    public void Write(string path) => ManifestFile.Write(Path.Combine(path, FileName), this, Json);
}
