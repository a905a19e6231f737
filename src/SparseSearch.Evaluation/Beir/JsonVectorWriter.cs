using System.IO.Compression;
using System.Text.Json;
using SparseSearch.Core;

namespace SparseSearch.Evaluation.Beir;

/// <summary>
/// Writes Anserini's JsonVectorCollection, one <c>{"id","contents","vector":{term:weight}}</c> object per line (gzip when
/// the path ends in .gz): what <see cref="JsonVectorCorpus"/> and pyserini read. Written to a temporary file and renamed,
/// so an interrupted run leaves no half file behind.
/// </summary>
public sealed class JsonVectorWriter : IDisposable
{
    private readonly string _path;
    private readonly string _temporary;
    private readonly Stream _stream;
    private readonly Utf8JsonWriter _json;
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private bool _completed;

    public JsonVectorWriter(string path)
    {
        _path = path;
        _temporary = path + ".tmp";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        Stream file = new FileStream(_temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        _stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.Fastest) : file;
        _json = new Utf8JsonWriter(_stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public long Count { get; private set; }

    public void Write(string id, string contents, IEnumerable<KeyValuePair<string, float>> vector)
    {
        _json.WriteStartObject();
        _json.WriteString("id", id);
        _json.WriteString("contents", contents);
        _json.WriteStartObject("vector");
        foreach (var (term, weight) in vector)
        {
            _json.WriteNumber(term, weight);
        }

        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.Flush();
        _json.Reset();
        _stream.Write(NewLine);
        Count++;
    }

    public void Write(EncodedDocument document) => Write(document.Id, document.Text, document.Vector.Weights);

    /// <summary>Publishes the file; without this call, disposing discards it.</summary>
    public void Complete()
    {
        _json.Flush();
        _stream.Dispose();
        File.Move(_temporary, _path, overwrite: true);
        _completed = true;
    }

    public void Dispose()
    {
        if (_completed)
        {
            return;
        }

        _json.Dispose();
        _stream.Dispose();
        File.Delete(_temporary);
    }
}
