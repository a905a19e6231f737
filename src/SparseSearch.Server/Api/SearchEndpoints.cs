using SparseSearch.Server.Indexing;
using SparseSearch.Server.Telemetry;

namespace SparseSearch.Server.Api;

/// <summary>GET and POST /search.</summary>
internal static class SearchEndpoints
{
    public static void Map(WebApplication app, ServerOptions options)
    {
        app.MapGet("/search", (HttpContext context, IndexService index, ServerMetrics metrics) =>
        {
            var query = context.Request.Query;
            foreach (var key in query.Keys)
            {
                if (key is not ("q" or "k" or "explain"))
                {
                    throw ProblemException.Invalid(key, $"unknown query parameter '{key}'; expected q, k, explain");
                }
            }

            var k = query.TryGetValue("k", out var kText) ? ParseK(kText.ToString(), options) : 10;
            var explain = query.TryGetValue("explain", out var explainText) && ParseBool(explainText.ToString());
            return Run(index, metrics, options, query["q"].ToString(), k, explain, context.RequestAborted);
        })
        .WithSummary("Search with a query string: /search?q=...&k=10&explain=false")
        .Produces<SearchResponse>()
        .ProducesProblem(StatusCodes.Status400BadRequest);

        app.MapPost("/search", async (HttpContext context, IndexService index, ServerMetrics metrics) =>
        {
            using var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted);
            var request = JsonRequest.Object(body.RootElement, "");
            JsonRequest.AllowOnly(request, "", "query", "k", "explain");
            var query = JsonRequest.String(request, "", "query", required: true)!;
            var k = JsonRequest.Int(request, "", "k", 10, 1, options.MaxK);
            return Run(index, metrics, options, query, k, JsonRequest.Bool(request, "", "explain"), context.RequestAborted);
        })
        .WithSummary("Search; with explain, each hit lists its matched terms and their contributions, which add up to its score")
        .Accepts<SearchRequest>("application/json")
        .Produces<SearchResponse>()
        .ProducesProblem(StatusCodes.Status400BadRequest);
    }

    private static IResult Run(IndexService index, ServerMetrics metrics, ServerOptions options, string query, int k, bool explain, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            throw ProblemException.Invalid("query", "the query is empty");
        }

        if (query.Length > options.MaxQueryChars)
        {
            throw ProblemException.Invalid("query", $"the query has {query.Length} characters; the limit is {options.MaxQueryChars}");
        }

        var response = index.Search(query, k, explain, cancellation);
        metrics.RecordSearch(response.TookMs);
        return Results.Ok(response);
    }

    private static int ParseK(string text, ServerOptions options) =>
        int.TryParse(text, out var k) && k >= 1 && k <= options.MaxK ? k
        : throw ProblemException.Invalid("k", $"'k' must be an integer between 1 and {options.MaxK}, found '{text}'");

    private static bool ParseBool(string text) => text switch
    {
        "true" or "1" => true,
        "false" or "0" or "" => false,
        _ => throw ProblemException.Invalid("explain", $"'explain' must be true or false, found '{text}'"),
    };
}
