using System.Security.Cryptography;
using SparseSearch.Core;

namespace SparseSearch.Index.Sharding;

/// <summary>
/// One shard's records of a corpus: the corpus read whole and filtered by <see cref="ShardRouting"/>, each record
/// tagged with its position in the corpus, which the cluster breaks score ties by. Shared by the text and the
/// pre-encoded shard sources.
/// </summary>
internal static class ShardSelection
{
    public static string Fingerprint(string corpusFingerprint, int shard, int shards) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
        $"{corpusFingerprint}\nshard={shard}/{shards}\nrouting={ShardRouting.Name}")));

    public static IEnumerable<T> Select<T>(IEnumerable<T> corpus, Func<T, string> id, Func<T, long, T> tag, int shard, int shards)
    {
        long position = 0;
        foreach (var record in corpus)
        {
            if (ShardRouting.ShardOf(id(record), shards) == shard)
            {
                yield return tag(record, position);
            }

            position++;
        }
    }
}

/// <summary>The text documents of one shard (<see cref="ShardSelection"/>).</summary>
internal sealed class ShardCorpusSource(ICorpusSource corpus, string corpusFingerprint, int shard, int shards) : ICorpusSource
{
    public string Description => corpus.Description;

    /// <summary>Unknown until read; about 1/shards of the corpus.</summary>
    public long? KnownCount => null;

    public string Fingerprint() => ShardSelection.Fingerprint(corpusFingerprint, shard, shards);

    public IEnumerable<CorpusDocument> Read(CancellationToken cancellation = default) =>
        ShardSelection.Select(corpus.Read(cancellation), d => d.Id, (d, position) => d with { Sequence = position }, shard, shards);
}

/// <summary>The pre-encoded documents of one shard (<see cref="ShardSelection"/>).</summary>
internal sealed class ShardEncodedSource(IEncodedCorpusSource corpus, string corpusFingerprint, int shard, int shards) : IEncodedCorpusSource
{
    public string Description => corpus.Description;

    public string Fingerprint() => ShardSelection.Fingerprint(corpusFingerprint, shard, shards);

    public IEnumerable<EncodedDocument> Read(CancellationToken cancellation = default) =>
        ShardSelection.Select(corpus.Read(cancellation), d => d.Id, (d, position) => d with { Sequence = position }, shard, shards);
}
