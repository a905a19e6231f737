using System.Security.Cryptography;
using SparseSearch.Core;

namespace SparseSearch.Evaluation.Beir;

/// <summary>
/// Pre-encoded documents in Anserini's JsonVectorCollection format, one per line:
/// <c>{"id": "...", "contents": "...", "vector": {"term": weight, ...}}</c> (plain or .gz). Lets encoding run elsewhere
/// (a GPU box, pyserini) and indexing here. Weights must be finite numbers; weights ≤ 0 cannot be postings and are
/// dropped and counted in <see cref="DroppedWeights"/>.
/// </summary>
public sealed class JsonVectorCorpus(string path) : IEncodedCorpusSource
{
    private readonly JsonVectorLineParser _parser = new(path);

    public string Description => System.IO.Path.GetFullPath(path);

    /// <summary>Zero or negative weights skipped so far (a documented skip, reported by the CLI).</summary>
    public long DroppedWeights => _parser.DroppedWeights;

    public string Fingerprint()
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Lines parsed at a time, in parallel: JSON parsing is most of the cost of indexing pre-encoded vectors.</summary>
    private const int ParseChunkLines = 512;

    public IEnumerable<EncodedDocument> Read(CancellationToken cancellation = default)
    {
        var parallel = new ParallelOptions { CancellationToken = cancellation };
        foreach (var chunk in JsonLines.ReadLines(path, cancellation).Chunk(ParseChunkLines))
        {
            var parsed = new EncodedDocument[chunk.Length];
            var errors = new InvalidCorpusException?[chunk.Length];
            Parallel.For(0, chunk.Length, parallel, i =>
            {
                try
                {
                    parsed[i] = _parser.Parse(chunk[i].Line, chunk[i].Text);
                }
                catch (InvalidCorpusException e)
                {
                    errors[i] = e;
                }
            });

            // In file order: the documents before a bad line come out, then its error, as if read one by one.
            for (var i = 0; i < chunk.Length; i++)
            {
                if (errors[i] is { } error)
                {
                    throw error;
                }

                yield return parsed[i];
            }
        }
    }
}
