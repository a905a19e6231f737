using SparseSearch.Server.Indexing;
using SparseSearch.Server.Security;

namespace SparseSearch.Server.Api;

/// <summary>/health (liveness), /ready (index open), /stats.</summary>
internal static class HealthEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/health", () => Results.Ok(new { status = "ok" })).WithSummary("Liveness: the process answers (needs no key)").Requires(Access.Open);
        app.MapGet("/ready", async (ISearchBackend index, CancellationToken cancellation) =>
                Results.Ok(new { status = "ready", documents = (await index.StatsAsync(cancellation)).Documents }))
            .WithSummary("Readiness: the index is open and searchable");
        app.MapGet("/stats", async (ISearchBackend index, CancellationToken cancellation) => Results.Ok(await index.StatsAsync(cancellation))).WithSummary("Documents, index bytes, encoder, quantization").Produces<StatsResponse>();
    }
}
