using System.Buffers;
using System.Text.Json;
using SparseSearch.Core;
using Utf8 = System.Text.Encoding;

namespace SparseSearch.Evaluation.Beir;

/// <summary>
/// Parses one JsonVectorCollection line, <c>{"id": ..., "contents": ..., "vector": {"term": weight, ...}}</c>, with a
/// forward-only <see cref="Utf8JsonReader"/>: no document object model to build, copy and clear (clearing JsonDocument's
/// pooled buffers alone was a quarter of the CPU of indexing pre-encoded vectors). Other fields are skipped; a repeated
/// field or term keeps its last value. Errors name the file, the line and the field.
/// </summary>
internal sealed class JsonVectorLineParser(string path)
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 16 };

    private long _droppedWeights;

    /// <summary>Weights ≤ 0 cannot be postings: dropped, and counted here.</summary>
    public long DroppedWeights => Interlocked.Read(ref _droppedWeights);

    public EncodedDocument Parse(long line, string text)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Utf8.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = Utf8.UTF8.GetBytes(text, buffer);
            return Parse(line, buffer.AsSpan(0, length));
        }
        catch (JsonException e)
        {
            throw JsonLines.Malformed(path, line, e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private EncodedDocument Parse(long line, ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, Options);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw JsonLines.NotAnObject(path, line, reader.TokenType);
        }

        string? id = null;
        var contents = "";
        Dictionary<string, float>? weights = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = Text(ref reader, "id", line);
            }
            else if (reader.ValueTextEquals("contents"u8))
            {
                reader.Read();
                contents = Text(ref reader, "contents", line) ?? "";
            }
            else if (reader.ValueTextEquals("vector"u8))
            {
                reader.Read();
                weights = reader.TokenType == JsonTokenType.StartObject
                    ? Weights(ref reader, line)
                    : throw new InvalidCorpusException($"{path} line {line}: \"vector\" must be an object of term: weight");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // Trailing content after the object is malformed JSON, as it would be for a JSON parser reading the line.
        while (reader.Read())
        {
        }

        if (id is null)
        {
            throw JsonLines.Missing(path, line, "id");
        }

        if (id.Length == 0)
        {
            throw new InvalidCorpusException($"{path} line {line}: empty \"id\"");
        }

        return weights is null
            ? throw new InvalidCorpusException($"{path} line {line}: \"vector\" must be an object of term: weight")
            : new EncodedDocument(id, "", contents, new SparseVector(weights));
    }

    private Dictionary<string, float> Weights(ref Utf8JsonReader reader, long line)
    {
        var weights = new Dictionary<string, float>(256, StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var term = String(ref reader, "vector", line);
            reader.Read();
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var weight) || !double.IsFinite(weight) || !float.IsFinite((float)weight))
            {
                var found = reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray ? reader.TokenType.ToString() : Utf8.UTF8.GetString(reader.ValueSpan);
                throw new InvalidCorpusException($"{path} line {line}: weight of term \"{term}\" must be a finite number, found {found}");
            }

            if (term.Length == 0)
            {
                throw new InvalidCorpusException($"{path} line {line}: empty term in \"vector\"");
            }

            if (weight <= 0)
            {
                Interlocked.Increment(ref _droppedWeights);
                continue;
            }

            weights[term] = (float)weight;
        }

        return weights;
    }

    /// <summary>A string field, or a number written as one (ids are sometimes numbers); null for JSON null.</summary>
    private string? Text(ref Utf8JsonReader reader, string field, long line) => reader.TokenType switch
    {
        JsonTokenType.String => String(ref reader, field, line),
        JsonTokenType.Number => Utf8.UTF8.GetString(reader.ValueSpan),
        JsonTokenType.Null => null,
        _ => throw JsonLines.NotAString(path, line, field, reader.TokenType),
    };

    private string String(ref Utf8JsonReader reader, string field, long line)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw JsonLines.NotText(path, line, field);
        }
    }
}
