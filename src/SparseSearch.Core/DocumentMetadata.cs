using System.Text.Json;

namespace SparseSearch.Core;

/// <summary>One filterable value of a document's metadata: a keyword (strings, booleans as "true"/"false") or a number.</summary>
public readonly record struct MetadataValue(string Field, string? Keyword, double Number)
{
    public bool IsNumber => Keyword is null;
}

/// <summary>
/// A document's <c>metadata</c> object, as BEIR corpora carry it: kept verbatim (compact JSON) to be stored and
/// returned, and flattened into filterable values. Nested objects become dotted field names (<c>{"a": {"b": 1}}</c> is
/// field <c>a.b</c>), arrays give a field several values, null adds none.
/// </summary>
public sealed class DocumentMetadata
{
    /// <summary>Nesting deeper than this is refused: no real metadata needs it, and it bounds the walk.</summary>
    public const int MaxDepth = 16;

    /// <summary>Values per document: metadata is for filtering, not for bulk content.</summary>
    public const int MaxValues = 10_000;

    private DocumentMetadata(string json, IReadOnlyList<MetadataValue> values)
    {
        Json = json;
        Values = values;
    }

    /// <summary>The object as received, re-serialized compactly.</summary>
    public string Json { get; }

    public IReadOnlyList<MetadataValue> Values { get; }

    /// <summary>Reads a metadata object; throws <see cref="ArgumentException"/> naming the offending field.</summary>
    public static DocumentMetadata FromJson(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"\"metadata\" must be an object, found {element.ValueKind.ToString().ToLowerInvariant()}");
        }

        var values = new List<MetadataValue>();
        Flatten(element, "", 0, values);
        return new DocumentMetadata(JsonSerializer.Serialize(element), values);
    }

    private static void Flatten(JsonElement element, string field, int depth, List<MetadataValue> values)
    {
        if (depth > MaxDepth)
        {
            throw new ArgumentException($"metadata field '{field}' is nested more than {MaxDepth} levels deep");
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name.Length == 0)
                    {
                        throw new ArgumentException($"metadata{(field.Length > 0 ? $" field '{field}'" : "")} has an empty field name");
                    }

                    Flatten(property.Value, field.Length == 0 ? property.Name : field + "." + property.Name, depth + 1, values);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (item.ValueKind is JsonValueKind.Array)
                    {
                        throw new ArgumentException($"metadata field '{field}' holds an array of arrays; use an array of values or of objects");
                    }

                    Flatten(item, field, depth + 1, values);
                }

                break;
            case JsonValueKind.String:
                Add(values, new MetadataValue(field, element.GetString()!, 0));
                break;
            case JsonValueKind.Number:
                var number = element.GetDouble();
                if (!double.IsFinite(number))
                {
                    throw new ArgumentException($"metadata field '{field}' holds {element.GetRawText()}, which is not a finite number");
                }

                Add(values, new MetadataValue(field, null, number));
                break;
            case JsonValueKind.True or JsonValueKind.False:
                Add(values, new MetadataValue(field, element.GetBoolean() ? "true" : "false", 0));
                break;
        }
    }

    private static void Add(List<MetadataValue> values, MetadataValue value)
    {
        if (values.Count == MaxValues)
        {
            throw new ArgumentException($"metadata holds more than {MaxValues} values");
        }

        values.Add(value);
    }

    public override string ToString() => Json;
}
