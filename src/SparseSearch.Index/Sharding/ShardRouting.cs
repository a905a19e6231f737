using System.IO.Hashing;

namespace SparseSearch.Index.Sharding;

/// <summary>
/// Which shard owns a document: XxHash64 of its id's UTF-8 bytes, modulo the shard count. Stable across processes,
/// machines and .NET versions (string.GetHashCode is randomized per process), so the indexing job, every silo and the
/// front end agree, and a re-added id always lands on the shard that holds its earlier version.
/// </summary>
public static class ShardRouting
{
    public const string Name = "xxhash64-utf8-mod";

    public static int ShardOf(string id, int shards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        var hash = XxHash64.HashToUInt64(System.Text.Encoding.UTF8.GetBytes(id));
        return (int)(hash % (ulong)shards);
    }
}
