using System.IO.Compression;
using System.Text.Json;
using SparseSearch.Core;

namespace SparseSearch.Evaluation.Beir;

/// <summary>Reads JSON Lines files, plain or gzip-compressed, naming the file and line of anything malformed.</summary>
public static class JsonLines
{
    /// <summary>The file's bytes, decompressed when it ends in .gz.</summary>
    public static Stream OpenBytes(string path)
    {
        if (!File.Exists(path))
        {
            throw new MissingInputException($"file not found: {path}");
        }

        Stream stream = File.OpenRead(path);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(stream, CompressionMode.Decompress) : stream;
    }

    /// <summary>Longest line accepted (bytes of UTF-8): far above any real document, far below memory trouble.</summary>
    public const int DefaultMaxLineChars = 64 << 20;

    /// <summary>Each non-blank line parsed as a JSON object, with its 1-based line number.</summary>
    public static IEnumerable<(long Line, JsonElement Json)> Read(string path, CancellationToken cancellation = default, int maxLineChars = DefaultMaxLineChars) =>
        ReadLines(path, cancellation, maxLineChars).Select(line => (line.Line, ParseObject(path, line.Line, line.Text)));

    /// <summary>Each non-blank line as text, with its 1-based line number, for callers that parse lines in parallel.</summary>
    public static IEnumerable<(long Line, string Text)> ReadLines(string path, CancellationToken cancellation = default, int maxLineChars = DefaultMaxLineChars)
    {
        using var bytes = OpenBytes(path);
        var reader = new BoundedLineReader(bytes, path, maxLineChars);
        while (true)
        {
            string? line;
            try
            {
                line = reader.ReadLine();
            }
            catch (InvalidDataException e)
            {
                throw new InvalidCorpusException($"{path}: not valid gzip data after line {reader.LineNumber} ({e.Message})");
            }

            if (line is null)
            {
                yield break;
            }

            cancellation.ThrowIfCancellationRequested();
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return (reader.LineNumber, line);
            }
        }
    }

    /// <summary>Non-blank lines, counted with the same checks as <see cref="ReadLines"/> (for progress before a job starts).</summary>
    public static long CountLines(string path) => ReadLines(path).LongCount();

    /// <summary>One line of <paramref name="path"/> parsed as a JSON object; malformed JSON names the file and line.</summary>
    private static JsonElement ParseObject(string path, long line, string text)
    {
        JsonElement element;
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 16 });
            element = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw Malformed(path, line, e);
        }

        return element.ValueKind == JsonValueKind.Object ? element : throw NotAnObject(path, line, element.ValueKind);
    }

    // The errors of a corpus line, worded once for the DOM reader here and the streaming one in JsonVectorLineParser.
    internal static InvalidCorpusException Malformed(string path, long line, JsonException e) =>
        new($"{path} line {line}: malformed JSON ({e.Message})");

    internal static InvalidCorpusException NotAnObject(string path, long line, object found) =>
        new($"{path} line {line}: expected a JSON object, found {found}");

    internal static InvalidCorpusException Missing(string path, long line, string field) => new($"{path} line {line}: missing \"{field}\"");

    internal static InvalidCorpusException NotAString(string path, long line, string field, object found) =>
        new($"{path} line {line}: \"{field}\" must be a string, found {found}");

    /// <summary>E.g. an escaped lone surrogate ("\ud800"): valid JSON syntax, but not text.</summary>
    internal static InvalidCorpusException NotText(string path, long line, string field) =>
        new($"{path} line {line}: \"{field}\" is not valid Unicode text");

    private static string StringValue(JsonElement value, string field, string path, long line)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw NotText(path, line, field);
        }
    }

    /// <summary>A string field, or a number written as one (BEIR ids are sometimes numbers); "" when absent or null.</summary>
    public static string Text(JsonElement json, string field, string path, long line, bool required = false)
    {
        if (!json.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? throw Missing(path, line, field) : "";
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => StringValue(value, field, path, line),
            JsonValueKind.Number => value.GetRawText(),
            _ => throw NotAString(path, line, field, value.ValueKind),
        };
    }
}
