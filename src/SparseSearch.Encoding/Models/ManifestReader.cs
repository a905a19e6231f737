using System.Text.Json;
using SparseSearch.Core;

namespace SparseSearch.Encoding.Models;

/// <summary>Typed, strict access to a model manifest's JSON, every error naming the file and the field.</summary>
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

    public JsonElement Child(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var child))
        {
            throw Error(name, "is required");
        }

        Object(child, name);
        return child;
    }

    public string? String(JsonElement parent, string field, string name, string? fallback)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback ?? (parent.ValueKind == JsonValueKind.Object && IsRequired(name) ? throw Error(field, "is required") : null);
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Error(field, "must be a string");
    }

    public int Int(JsonElement parent, string name, int fallback) =>
        !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? fallback
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number
        : throw Error(name, "must be an integer");

    public double Number(JsonElement parent, string name, double fallback) =>
        !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? fallback
        : value.ValueKind == JsonValueKind.Number ? value.GetDouble()
        : throw Error(name, "must be a number");

    public bool Bool(JsonElement parent, string field, string name, bool fallback) =>
        !parent.TryGetProperty(name, out var value) ? fallback
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
        : throw Error(field, "must be true or false");

    public T Enum<T>(JsonElement parent, string name, T? fallback)
        where T : struct, System.Enum
    {
        var text = String(parent, name, name, fallback?.ToString()) ?? throw Error(name, "is required");
        return System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && !int.TryParse(text, out _)
            ? value
            : throw Error(name, $"'{text}' is not one of {string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");
    }

    public IReadOnlySet<string> Strings(JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.Array && element.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            ? element.EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal)
            : throw Error(field, "must be an array of strings");

    public string File(string directory, string relative, string field)
    {
        var full = Path.Combine(directory, relative);
        return System.IO.File.Exists(full) ? full : throw Error(field, $"file {full} does not exist");
    }

    private static bool IsRequired(string name) => name is "family" or "name" or "kind";
}
