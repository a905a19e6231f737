using SparseSearch.Index.Filters;
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
            QueryString.AllowOnly(query, "q", "k", "from", "explain", "filter", "fields", "fusion", "first_passages", "approximate");
            var k = (int)QueryString.Integer(query, "k", 10, 1, options.MaxK);
            var from = (int)QueryString.Integer(query, "from", 0, 0, options.MaxResultWindow);
            var explain = query.TryGetValue("explain", out var explainText) && ParseBool(explainText.ToString());
            var filter = query.TryGetValue("filter", out var filterText) ? Filter(() => FilterParser.Parse(filterText.ToString())) : null;
            var firstPassages = query.ContainsKey("first_passages") ? (int?)QueryString.Integer(query, "first_passages", 1, 1, int.MaxValue) : null;
            return Run(index, metrics, options, query["q"].ToString(), from, k, explain, filter, FusionRequest.FromQuery(query), firstPassages,
                ApproximateRequest.FromQuery(query), context.RequestAborted);
        })
        .WithSummary("Search with a query string: /search?q=...&k=10&from=0&explain=false&filter={\"term\":{\"field\":\"value\"}}")
        .Produces<SearchResponse>()
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        app.MapPost("/search", async (HttpContext context, IndexService index, ServerMetrics metrics) =>
        {
            using var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted);
            var request = JsonRequest.Object(body.RootElement, "");
            JsonRequest.AllowOnly(request, "", "query", "k", "from", "explain", "filter", "fields", "fusion", "first_passages", "approximate");
            var query = JsonRequest.String(request, "", "query", required: true)!;
            var k = JsonRequest.Int(request, "", "k", 10, 1, options.MaxK);
            var from = JsonRequest.Int(request, "", "from", 0, 0, options.MaxResultWindow);
            var filter = request.TryGetProperty("filter", out var filterElement) && filterElement.ValueKind != System.Text.Json.JsonValueKind.Null
                ? Filter(() => FilterParser.Parse(filterElement))
                : null;
            var firstPassages = request.TryGetProperty("first_passages", out var passages) && passages.ValueKind != System.Text.Json.JsonValueKind.Null
                ? JsonRequest.Int(request, "", "first_passages", 1, 1, int.MaxValue)
                : (int?)null;
            return Run(index, metrics, options, query, from, k, JsonRequest.Bool(request, "", "explain"), filter, FusionRequest.FromJson(request, options.MaxResultWindow),
                firstPassages, ApproximateRequest.FromJson(request), context.RequestAborted);
        })
        .WithSummary("Search; with explain, each hit lists its matched terms and their contributions, which add up to its score")
        .Accepts<SearchRequest>("application/json")
        .Produces<SearchResponse>()
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>A malformed filter is a 400 naming where in the filter it is wrong.</summary>
    private static SearchFilter Filter(Func<SearchFilter> parse)
    {
        try
        {
            return parse();
        }
        catch (InvalidFilterException e)
        {
            throw ProblemException.Invalid(e.Path, e.Reason);
        }
    }

    private static IResult Run(IndexService index, ServerMetrics metrics, ServerOptions options, string query, int from, int k, bool explain, SearchFilter? filter,
        Index.MultiField.FusionSettings? fusion, int? firstPassages, Index.Approximate.ApproximateSearchSettings? approximate, CancellationToken cancellation)
    {
        if (from + k > options.MaxResultWindow)
        {
            throw ProblemException.Invalid("from", $"from + k is {from + k}; pages reach at most hit {options.MaxResultWindow} (--max-result-window)");
        }

        if (string.IsNullOrWhiteSpace(query))
        {
            throw ProblemException.Invalid("query", "the query is empty");
        }

        if (query.Length > options.MaxQueryChars)
        {
            throw ProblemException.Invalid("query", $"the query has {query.Length} characters; the limit is {options.MaxQueryChars}");
        }

        var response = index.Search(query, from, k, explain, filter, fusion, firstPassages, approximate, options.MaxTotalCountPostings, cancellation);
        metrics.RecordSearch(response.TookMs);
        return Results.Ok(response);
    }

    private static bool ParseBool(string text) => text switch
    {
        "true" or "1" => true,
        "false" or "0" or "" => false,
        _ => throw ProblemException.Invalid("explain", $"'explain' must be true or false, found '{text}'"),
    };
}
