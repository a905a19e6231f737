using System.Security.Cryptography;
using SparseSearch.Core;

namespace SparseSearch.Index.Sharding;

/// <summary>
/// The documents of one shard: the corpus read whole and filtered by <see cref="ShardRouting"/>, each document tagged
/// with its position in the corpus (<see cref="CorpusDocument.Sequence"/>), which the cluster breaks score ties by.
/// </summary>
internal sealed class ShardCorpusSource(ICorpusSource corpus, string corpusFingerprint, int shard, int shards) : ICorpusSource
{
    public string Description => corpus.Description;

    /// <summary>Unknown until read; about 1/shards of the corpus.</summary>
    public long? KnownCount => null;

    public string Fingerprint() => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
        $"{corpusFingerprint}\nshard={shard}/{shards}\nrouting={ShardRouting.Name}")));

    public IEnumerable<CorpusDocument> Read(CancellationToken cancellation = default)
    {
        long position = 0;
        foreach (var document in corpus.Read(cancellation))
        {
            if (ShardRouting.ShardOf(document.Id, shards) == shard)
            {
                yield return document with { Sequence = position };
            }

            position++;
        }
    }
}

/// <summary>The pre-encoded documents of one shard, as <see cref="ShardCorpusSource"/> splits a text corpus.</summary>
internal sealed class ShardEncodedSource(IEncodedCorpusSource corpus, string corpusFingerprint, int shard, int shards) : IEncodedCorpusSource
{
    public string Description => corpus.Description;

    public string Fingerprint() => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
        $"{corpusFingerprint}\nshard={shard}/{shards}\nrouting={ShardRouting.Name}")));

    public IEnumerable<EncodedDocument> Read(CancellationToken cancellation = default)
    {
        long position = 0;
        foreach (var document in corpus.Read(cancellation))
        {
            if (ShardRouting.ShardOf(document.Id, shards) == shard)
            {
                yield return document with { Sequence = position };
            }

            position++;
        }
    }
}
