using System.Text.Json;
using SparseSearch.Core;

namespace SparseSearch.Encoding.Models;

/// <summary>
/// Typed, strict access to a model manifest's JSON, every error naming the file and the field (a dotted path such as
/// <c>tokenizer.max_length</c>). An absent optional section reads as <c>default</c>: its fields take their fallbacks.
/// </summary>
internal sealed class ManifestReader(string path)
{
    public InvalidSettingException Error(string field, string message) => new($"{path}: field '{field}': {message}");

    public void Object(JsonElement element, string field)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(field.Length == 0 ? "(root)" : field, "must be a JSON object");
        }
    }

    /// <summary>A required object member.</summary>
    public JsonElement Section(JsonElement parent, string name)
    {
        var child = Value(parent, name) ?? throw Error(name, "is required");
        Object(child, name);
        return child;
    }

    /// <summary>An optional object member, or <c>default</c> when absent.</summary>
    public JsonElement OptionalSection(JsonElement parent, string name) => Value(parent, name) is null ? default : Section(parent, name);

    public string Required(JsonElement parent, string field) => String(parent, field, null) ?? throw Error(field, "is required");

    public string? String(JsonElement parent, string field, string? fallback) => Value(parent, field) is not { } value
        ? fallback
        : value.ValueKind == JsonValueKind.String ? value.GetString() : throw Error(field, "must be a string");

    public int Int(JsonElement parent, string field, int fallback) => Value(parent, field) is not { } value
        ? fallback
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : throw Error(field, "must be an integer");

    public double Number(JsonElement parent, string field, double fallback) => Value(parent, field) is not { } value
        ? fallback
        : value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Error(field, "must be a number");

    public bool Bool(JsonElement parent, string field, bool fallback) => Value(parent, field) is not { } value
        ? fallback
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw Error(field, "must be true or false");

    public T Enum<T>(JsonElement parent, string field)
        where T : struct, System.Enum
    {
        var text = Required(parent, field);
        return System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && !int.TryParse(text, out _)
            ? value
            : throw Error(field, $"'{text}' is not one of {string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");
    }

    public IReadOnlySet<string> Strings(JsonElement parent, string field, IReadOnlySet<string> fallback) => Value(parent, field) is not { } value
        ? fallback
        : value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            ? value.EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal)
            : throw Error(field, "must be an array of strings");

    public string File(string directory, string relative, string field)
    {
        var full = Path.Combine(directory, relative);
        return System.IO.File.Exists(full) ? full : throw Error(field, $"file {full} does not exist");
    }

    /// <summary>The member named by the last segment of <paramref name="field"/>; null when absent, null or the parent is.</summary>
    private static JsonElement? Value(JsonElement parent, string field)
    {
        var name = field[(field.LastIndexOf('.') + 1)..];
        return parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;
    }
}
