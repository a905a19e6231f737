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
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private bool _completed;

    public JsonVectorWriter(string path)
    {
        _path = path;
        _temporary = path + ".tmp";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        Stream file = new FileStream(_temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        _stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.Fastest) : file;
        _json = new Utf8JsonWriter(_stream, Options);
    }

    public long Count { get; private set; }

    public void Write(string id, string contents, IEnumerable<KeyValuePair<string, float>> vector)
    {
        WriteRecord(_json, id, contents, vector);
        _json.Flush();
        _json.Reset();
        _stream.Write(NewLine);
        Count++;
    }

    /// <summary>
    /// Records as JSON lines, ready for <see cref="WriteLines"/>: formatting a few hundred weights per record is the
    /// writer's costly part, and this lets it run on other threads than the one that writes.
    /// </summary>
    public static byte[] Serialize(IEnumerable<(string Id, string Contents, IEnumerable<KeyValuePair<string, float>> Vector)> records)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(buffer, Options);
        foreach (var (id, contents, vector) in records)
        {
            WriteRecord(json, id, contents, vector);
            json.Flush();
            json.Reset();
            System.Buffers.BuffersExtensions.Write(buffer, NewLine);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Appends <paramref name="count"/> records serialized by <see cref="Serialize"/>.</summary>
    public void WriteLines(byte[] lines, int count)
    {
        _json.Flush();
        _stream.Write(lines);
        Count += count;
    }

    private static void WriteRecord(Utf8JsonWriter json, string id, string contents, IEnumerable<KeyValuePair<string, float>> vector)
    {
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("contents", contents);
        json.WriteStartObject("vector");
        foreach (var (term, weight) in vector)
        {
            json.WriteNumber(term, weight);
        }

        json.WriteEndObject();
        json.WriteEndObject();
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
