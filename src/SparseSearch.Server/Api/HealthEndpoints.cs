using SparseSearch.Server.Indexing;
using SparseSearch.Server.Security;

namespace SparseSearch.Server.Api;

/// <summary>/health (liveness), /ready (index open), /stats.</summary>
internal static class HealthEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/health", () => Results.Ok(new { status = "ok" })).WithSummary("Liveness: the process answers (needs no key)").Requires(Access.Open);
        app.MapGet("/ready", (IndexService index) => Results.Ok(new { status = "ready", documents = index.Stats().Documents }))
            .WithSummary("Readiness: the index is open and searchable");
        app.MapGet("/stats", (IndexService index) => Results.Ok(index.Stats())).WithSummary("Documents, index bytes, encoder, quantization").Produces<StatsResponse>();
    }
}
