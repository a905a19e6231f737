using System.Security.Cryptography;
using System.Text.Json;
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
    private long _droppedWeights;

    public string Description => System.IO.Path.GetFullPath(path);

    /// <summary>Zero or negative weights skipped so far (a documented skip, reported by the CLI).</summary>
    public long DroppedWeights => Interlocked.Read(ref _droppedWeights);

    public string Fingerprint()
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public IEnumerable<EncodedDocument> Read(CancellationToken cancellation = default)
    {
        foreach (var (line, json) in JsonLines.Read(path, cancellation))
        {
            var id = JsonLines.Text(json, "id", path, line, required: true);
            if (id.Length == 0)
            {
                throw new InvalidCorpusException($"{path} line {line}: empty \"id\"");
            }

            if (!json.TryGetProperty("vector", out var vector) || vector.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidCorpusException($"{path} line {line}: \"vector\" must be an object of term: weight");
            }

            var weights = new Dictionary<string, float>(StringComparer.Ordinal);
            foreach (var entry in vector.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetDouble(out var weight) || !double.IsFinite(weight) || !float.IsFinite((float)weight))
                {
                    throw new InvalidCorpusException($"{path} line {line}: weight of term \"{entry.Name}\" must be a finite number, found {entry.Value.GetRawText()}");
                }

                if (entry.Name.Length == 0)
                {
                    throw new InvalidCorpusException($"{path} line {line}: empty term in \"vector\"");
                }

                if (weight <= 0)
                {
                    Interlocked.Increment(ref _droppedWeights);
                    continue;
                }

                weights[entry.Name] = (float)weight;
            }

            yield return new EncodedDocument(id, "", JsonLines.Text(json, "contents", path, line), new SparseVector(weights));
        }
    }
}
