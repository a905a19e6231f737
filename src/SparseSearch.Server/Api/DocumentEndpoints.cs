using System.Text.Json;
using SparseSearch.Server.Indexing;
using SparseSearch.Server.Security;
using SparseSearch.Server.Telemetry;

namespace SparseSearch.Server.Api;

/// <summary>POST /documents, GET and DELETE /documents/{id}, POST /commit.</summary>
internal static class DocumentEndpoints
{
    public static void Map(WebApplication app, ServerOptions options)
    {
        app.MapPost("/documents", async (HttpContext context, ISearchBackend index, ServerMetrics metrics) =>
        {
            using var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted);
            var documents = Parse(body.RootElement, options);
            var indexed = await index.AddAsync(documents, context.RequestAborted);
            metrics.DocumentsWritten(indexed);
            return Results.Ok(new DocumentsResponse(indexed, Durable: true, Visible: true));
        })
        .WithSummary("Add or replace documents: a JSON array of {id, title, text, metadata} or pre-encoded {id, vector: {term: weight}, metadata}; durable and searchable when the call returns")
        .Accepts<DocumentInput[]>("application/json")
        .Produces<DocumentsResponse>()
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
        .Requires(Access.Write);

        app.MapGet("/documents", async (HttpContext context, ISearchBackend index) =>
        {
            var query = context.Request.Query;
            QueryString.AllowOnly(query, "from", "size");
            return Results.Ok(await index.ListAsync(QueryString.Integer(query, "from", 0, 0, long.MaxValue), (int)QueryString.Integer(query, "size", 20, 1, 1000),
                context.RequestAborted));
        })
        .WithSummary("Live documents in index order, a page at a time: /documents?from=0&size=20 (size at most 1000)")
        .Produces<DocumentPage>()
        .ProducesProblem(StatusCodes.Status400BadRequest);

        app.MapGet("/documents/{**id}", async (string id, ISearchBackend index, CancellationToken cancellation) =>
            await index.GetAsync(id = DocumentId(id), cancellation) is { } document ? Results.Ok(document) : throw NotFound(id))
        .WithSummary("A stored document and its (dequantized) vector; an id with '/' is sent as it is or as %2F")
        .Produces<DocumentView>()
        .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapDelete("/documents/{**id}", async (string id, ISearchBackend index, ServerMetrics metrics, CancellationToken cancellation) =>
        {
            id = DocumentId(id);
            if (!await index.DeleteAsync(id, cancellation))
            {
                throw NotFound(id);
            }

            metrics.DocumentDeleted();
            return Results.NoContent();
        })
        .WithSummary("Delete a document; durable and invisible to searches when the call returns")
        .Produces(StatusCodes.Status204NoContent)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .Requires(Access.Write);

        app.MapPost("/commit", async (ISearchBackend index, CancellationToken cancellation) =>
        {
            await index.CommitAsync(cancellation);
            return Results.Ok(new { committed = true });
        })
        .WithSummary("Commit explicitly (every write already commits before it returns; kept for clients that batch)")
        .Requires(Access.Write);
    }

    /// <summary>
    /// The id in a /documents/{id} path: Kestrel decodes every escape but %2F, so an id with '/' arrives either as it
    /// is (the catch-all route keeps the slashes) or with %2F still escaped.
    /// </summary>
    private static string DocumentId(string routeValue) => routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    private static ProblemException NotFound(string id) => new(StatusCodes.Status404NotFound, "Not found", $"no document with id '{id}'", "id");

    private static List<DocumentInput> Parse(JsonElement root, ServerOptions options)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw ProblemException.Invalid("body", $"expected a JSON array of documents, found {JsonRequest.Kind(root)}");
        }

        var count = root.GetArrayLength();
        if (count == 0 || count > options.MaxDocumentsPerRequest)
        {
            throw ProblemException.Invalid("body", $"send between 1 and {options.MaxDocumentsPerRequest} documents, found {count}");
        }

        var documents = new List<DocumentInput>(count);
        var position = 0;
        foreach (var element in root.EnumerateArray())
        {
            var path = $"[{position++}]";
            var document = JsonRequest.Object(element, path);
            JsonRequest.AllowOnly(document, path, "id", "title", "text", "vector", "metadata");
            var id = JsonRequest.String(document, path, "id", required: true)!;
            if (id.Length == 0 || id.Length > 512)
            {
                throw ProblemException.Invalid($"{path}.id", "'id' must have 1 to 512 characters");
            }

            var vector = document.TryGetProperty("vector", out var vectorElement) && vectorElement.ValueKind != JsonValueKind.Null
                ? Vector(vectorElement, $"{path}.vector")
                : null;
            var text = JsonRequest.String(document, path, "text", required: false);
            if (vector is null && text is null)
            {
                throw ProblemException.Invalid($"{path}.text", "each document needs 'text' (to encode) or 'vector' (pre-encoded)");
            }

            documents.Add(new DocumentInput(id, JsonRequest.String(document, path, "title", required: false), text, vector)
            {
                ParsedMetadata = Metadata(document, $"{path}.metadata"),
            });
        }

        return documents;
    }

    private static Core.DocumentMetadata? Metadata(JsonElement document, string path)
    {
        if (!document.TryGetProperty("metadata", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        try
        {
            return Core.DocumentMetadata.FromJson(element);
        }
        catch (ArgumentException e)
        {
            throw ProblemException.Invalid(path, e.Message);
        }
    }

    private static Dictionary<string, float> Vector(JsonElement element, string path)
    {
        var vector = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var entry in JsonRequest.Object(element, path).EnumerateObject())
        {
            var term = JsonRequest.Name(entry, path);
            if (term.Length == 0)
            {
                throw ProblemException.Invalid(path, "empty term");
            }

            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetSingle(out var weight) || !float.IsFinite(weight) || weight < 0)
            {
                throw ProblemException.Invalid($"{path}.{term}", $"weight must be a finite number ≥ 0, found {entry.Value.GetRawText()}");
            }

            vector[term] = weight;
        }

        return vector;
    }
}
