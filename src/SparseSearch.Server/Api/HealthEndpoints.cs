using SparseSearch.Server.Indexing;

namespace SparseSearch.Server.Api;

/// <summary>/health (liveness), /ready (index open), /stats.</summary>
internal static class HealthEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/health", () => Results.Ok(new { status = "ok" })).WithSummary("Liveness: the process answers");
        app.MapGet("/ready", (IndexService index) => Results.Ok(new { status = "ready", documents = index.Stats().Documents }))
            .WithSummary("Readiness: the index is open and searchable");
        app.MapGet("/stats", (IndexService index) => Results.Ok(index.Stats())).WithSummary("Documents, index bytes, encoder, quantization").Produces<StatsResponse>();
    }
}
