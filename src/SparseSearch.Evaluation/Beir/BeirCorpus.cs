using System.Security.Cryptography;
using SparseSearch.Core;

namespace SparseSearch.Evaluation.Beir;

/// <summary>
/// A BEIR <c>corpus.jsonl[.gz]</c>: one <c>{"_id", "title", "text"}</c> object per line, streamed, with an optional
/// <c>metadata</c> object (filterable fields).
/// </summary>
public sealed class BeirCorpus(string path) : ICorpusSource
{
    private string? _fingerprint;
    private long? _count;

    public string Path => path;

    public string Description => System.IO.Path.GetFullPath(path);

    /// <summary>Counted once by a quick pass over the lines, for progress and ETA.</summary>
    public long? KnownCount => _count ??= JsonLines.CountLines(path);

    public string Fingerprint()
    {
        if (_fingerprint is null)
        {
            using var stream = File.OpenRead(path);
            _fingerprint = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        return _fingerprint;
    }

    public IEnumerable<CorpusDocument> Read(CancellationToken cancellation = default)
    {
        foreach (var (line, json) in JsonLines.Read(path, cancellation))
        {
            var id = JsonLines.Text(json, "_id", path, line, required: true);
            if (id.Length == 0)
            {
                throw new InvalidCorpusException($"{path} line {line}: empty \"_id\"");
            }

            yield return new CorpusDocument(id, JsonLines.Text(json, "title", path, line), JsonLines.Text(json, "text", path, line))
            {
                Metadata = Metadata(json, path, line),
            };
        }
    }

    private static DocumentMetadata? Metadata(System.Text.Json.JsonElement json, string path, long line)
    {
        if (!json.TryGetProperty("metadata", out var metadata) || metadata.ValueKind == System.Text.Json.JsonValueKind.Null)
        {
            return null;
        }

        try
        {
            var parsed = DocumentMetadata.FromJson(metadata);
            return parsed.Json == "{}" ? null : parsed;
        }
        catch (ArgumentException e)
        {
            throw new InvalidCorpusException($"{path} line {line}: {e.Message}");
        }
    }
}
