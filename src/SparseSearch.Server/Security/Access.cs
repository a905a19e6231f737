namespace SparseSearch.Server.Security;

/// <summary>What an endpoint needs: nothing (the page, liveness), the read key (the default) or the write key.</summary>
public enum Access
{
    Open,
    Read,
    Write,
}

/// <summary>Endpoint metadata carrying its <see cref="Access"/>.</summary>
public sealed record RequiredAccess(Access Level);

/// <summary>Checks each request against its endpoint's <see cref="Access"/> before the handler runs.</summary>
internal static class AccessCheck
{
    public static RouteHandlerBuilder Requires(this RouteHandlerBuilder endpoint, Access access) => endpoint.WithMetadata(new RequiredAccess(access));

    public static void UseApiKeys(this WebApplication app, ApiKeys keys) => app.Use(async (context, next) =>
    {
        var access = context.GetEndpoint()?.Metadata.GetMetadata<RequiredAccess>()?.Level ?? Access.Read;
        if (access != Access.Open)
        {
            keys.Authorize(context.Request, access == Access.Write);
        }

        await next(context);
    });
}
