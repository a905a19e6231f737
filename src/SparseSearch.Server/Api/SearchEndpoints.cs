using SparseSearch.Index.Filters;
using SparseSearch.Server.Indexing;
using SparseSearch.Server.Telemetry;

namespace SparseSearch.Server.Api;

/// <summary>GET and POST /search.</summary>
internal static class SearchEndpoints
{
    public static void Map(WebApplication app, ServerOptions options)
    {
        app.MapGet("/search", async (HttpContext context, ISearchBackend index, ServerMetrics metrics) =>
        {
            var query = context.Request.Query;
            QueryString.AllowOnly(query, "q", "k", "from", "explain", "filter", "fields", "fusion", "first_passages", "approximate", "allow_partial");
            var k = (int)QueryString.Integer(query, "k", 10, 1, options.MaxK);
            var from = (int)QueryString.Integer(query, "from", 0, 0, options.MaxResultWindow);
            var explain = query.TryGetValue("explain", out var explainText) && ParseBool(explainText.ToString(), "explain");
            var filter = query.TryGetValue("filter", out var filterText) ? Filter(() => FilterParser.Parse(filterText.ToString())) : null;
            var firstPassages = query.ContainsKey("first_passages") ? (int?)QueryString.Integer(query, "first_passages", 1, 1, int.MaxValue) : null;
            var allowPartial = !query.TryGetValue("allow_partial", out var partialText) || ParseBool(partialText.ToString(), "allow_partial");
            return await Run(index, metrics, options, new SearchQuery(query["q"].ToString(), from, k, explain, filter, filter is null ? null : filterText.ToString(),
                FusionRequest.FromQuery(query), firstPassages, ApproximateRequest.FromQuery(query), options.MaxTotalCountPostings, allowPartial), context.RequestAborted);
        })
        .WithSummary("Search with a query string: /search?q=...&k=10&from=0&explain=false&filter={\"term\":{\"field\":\"value\"}}")
        .Produces<SearchResponse>()
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        app.MapPost("/search", async (HttpContext context, ISearchBackend index, ServerMetrics metrics) =>
        {
            using var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted);
            var request = JsonRequest.Object(body.RootElement, "");
            JsonRequest.AllowOnly(request, "", "query", "k", "from", "explain", "filter", "fields", "fusion", "first_passages", "approximate", "allow_partial");
            var query = JsonRequest.String(request, "", "query", required: true)!;
            var k = JsonRequest.Int(request, "", "k", 10, 1, options.MaxK);
            var from = JsonRequest.Int(request, "", "from", 0, 0, options.MaxResultWindow);
            var filter = request.TryGetProperty("filter", out var filterElement) && filterElement.ValueKind != System.Text.Json.JsonValueKind.Null
                ? Filter(() => FilterParser.Parse(filterElement))
                : null;
            var firstPassages = request.TryGetProperty("first_passages", out var passages) && passages.ValueKind != System.Text.Json.JsonValueKind.Null
                ? JsonRequest.Int(request, "", "first_passages", 1, 1, int.MaxValue)
                : (int?)null;
            var allowPartial = !request.TryGetProperty("allow_partial", out var partial) || partial.ValueKind == System.Text.Json.JsonValueKind.Null
                || JsonRequest.Bool(request, "", "allow_partial");
            return await Run(index, metrics, options, new SearchQuery(query, from, k, JsonRequest.Bool(request, "", "explain"), filter, filter is null ? null : filterElement.GetRawText(),
                FusionRequest.FromJson(request, options.MaxResultWindow), firstPassages, ApproximateRequest.FromJson(request), options.MaxTotalCountPostings, allowPartial),
                context.RequestAborted);
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

    private static async Task<IResult> Run(ISearchBackend index, ServerMetrics metrics, ServerOptions options, SearchQuery search, CancellationToken cancellation)
    {
        if (search.From + search.K > options.MaxResultWindow)
        {
            throw ProblemException.Invalid("from", $"from + k is {search.From + search.K}; pages reach at most hit {options.MaxResultWindow} (--max-result-window)");
        }

        if (string.IsNullOrWhiteSpace(search.Query))
        {
            throw ProblemException.Invalid("query", "the query is empty");
        }

        if (search.Query.Length > options.MaxQueryChars)
        {
            throw ProblemException.Invalid("query", $"the query has {search.Query.Length} characters; the limit is {options.MaxQueryChars}");
        }

        var response = await index.SearchAsync(search, cancellation);
        metrics.RecordSearch(response.TookMs);
        return Results.Ok(response);
    }

    private static bool ParseBool(string text, string name) => text switch
    {
        "true" or "1" => true,
        "false" or "0" or "" => false,
        _ => throw ProblemException.Invalid(name, $"'{name}' must be true or false, found '{text}'"),
    };
}
