using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SparseSearch.Server.Api;

/// <summary>
/// What the OpenAPI generator cannot see: GET /search and GET /documents read their query strings by hand (to name
/// every bad parameter in a problem), so their parameters are described here.
/// </summary>
internal static class OpenApiDescriptions
{
    public static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellation)
    {
        var description = context.Description;
        if (description.HttpMethod == "GET" && description.RelativePath == "search")
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(Query("q", JsonSchemaType.String, required: true, "the query text"));
            operation.Parameters.Add(Query("k", JsonSchemaType.Integer, required: false, "hits to return (default 10, at most --max-k)"));
            operation.Parameters.Add(Query("from", JsonSchemaType.Integer, required: false, "hits to skip, for the next pages (default 0; from + k at most --max-result-window)"));
            operation.Parameters.Add(Query("explain", JsonSchemaType.Boolean, required: false, "list each hit's matched terms and contributions (default false)"));
            operation.Parameters.Add(Query("filter", JsonSchemaType.String, required: false,
                "metadata filter as JSON, applied inside the top k: {\"term\": {\"field\": value}}, terms, range {gte, gt, lte, lt}, and, or, not"));
            operation.Parameters.Add(Query("fields", JsonSchemaType.String, required: false, "multi-field index: comma-separated fields to search and fuse (default all)"));
            operation.Parameters.Add(Query("fusion", JsonSchemaType.String, required: false, "multi-field index: rrf (default) or linear (min_max normalization)"));
            operation.Parameters.Add(Query("first_passages", JsonSchemaType.Integer, required: false, "chunked index: only each document's first P chunks compete (default all)"));
            operation.Parameters.Add(Query("approximate", JsonSchemaType.Boolean, required: false, "approximate search with default knobs where the index carries approximate structures (index --approximate); the response then has an approximate object"));
        }

        if (description.HttpMethod == "GET" && description.RelativePath == "documents")
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(Query("from", JsonSchemaType.Integer, required: false, "documents to skip (default 0)"));
            operation.Parameters.Add(Query("size", JsonSchemaType.Integer, required: false, "documents per page (default 20, at most 1000)"));
        }

        return Task.CompletedTask;
    }

    private static OpenApiParameter Query(string name, JsonSchemaType type, bool required, string text) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Required = required,
        Description = text,
        Schema = new OpenApiSchema { Type = type },
    };
}
