using System.Text.Json;

namespace SparseSearch.Server.Api;

/// <summary>
/// Reads and validates JSON request bodies by hand, so every error names its field: malformed JSON, wrong types,
/// out-of-range values and unknown fields are 400 problems rather than silently ignored or a 500.
/// </summary>
internal static class JsonRequest
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32 };

    public static async Task<JsonDocument> ReadAsync(HttpRequest request, CancellationToken cancellation)
    {
        if (request.ContentType is { } type && !IsJson(type))
        {
            throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"send application/json, not {type}", "Content-Type");
        }

        // Buffer the body (Kestrel caps its size) and check it is UTF-8 first: JsonDocument only decodes strings
        // when they are read, which would fail deep inside a handler instead of here.
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellation);
        if (!System.Text.Unicode.Utf8.IsValid(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))
        {
            throw ProblemException.Invalid("body", "the body is not valid UTF-8");
        }

        try
        {
            return JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), Options);
        }
        catch (Exception e) when (e is JsonException or System.Text.DecoderFallbackException or ArgumentException)
        {
            throw ProblemException.Invalid("body", $"malformed JSON: {e.Message}");
        }
    }

    /// <summary>application/json or a +json type, parameters (charset) allowed; a missing type is taken as JSON.</summary>
    private static bool IsJson(string contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));

    public static void AllowOnly(JsonElement element, string path, params string[] fields)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var name = Name(property, path);
            if (!fields.Contains(name, StringComparer.Ordinal))
            {
                throw ProblemException.Invalid(Join(path, name), $"unknown field '{name}'; expected {string.Join(", ", fields)}");
            }

            if (!seen.Add(name))
            {
                // JsonElement would silently take one of the two values.
                throw ProblemException.Invalid(Join(path, name), $"'{name}' appears twice");
            }
        }
    }

    public static JsonElement Object(JsonElement element, string path) => element.ValueKind == JsonValueKind.Object
        ? element
        : throw ProblemException.Invalid(path.Length == 0 ? "body" : path, $"expected a JSON object, found {Kind(element)}");

    public static string? String(JsonElement obj, string path, string name, bool required)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? throw ProblemException.Invalid(Join(path, name), $"'{name}' is required") : null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw ProblemException.Invalid(Join(path, name), $"'{name}' must be a string, found {Kind(value)}");
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate ("\ud800") is valid JSON syntax but not text.
            throw ProblemException.Invalid(Join(path, name), $"'{name}' is not valid Unicode text (a lone surrogate escape?)");
        }
    }

    /// <summary>A property's name, refused as a 400 when it is not valid Unicode text (an escaped lone surrogate).</summary>
    public static string Name(JsonProperty property, string path)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            throw ProblemException.Invalid(path, "a field name is not valid Unicode text (a lone surrogate escape?)");
        }
    }

    public static int Int(JsonElement obj, string path, string name, int fallback, int min, int max)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            throw ProblemException.Invalid(Join(path, name), $"'{name}' must be an integer, found {value.GetRawText()}");
        }

        return number >= min && number <= max ? number : throw ProblemException.Invalid(Join(path, name), $"'{name}' must be between {min} and {max}, found {number}");
    }

    public static bool Bool(JsonElement obj, string path, string name) =>
        !obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? false
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
        : throw ProblemException.Invalid(Join(path, name), $"'{name}' must be true or false, found {value.GetRawText()}");

    public static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
