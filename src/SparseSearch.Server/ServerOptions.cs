namespace SparseSearch.Server;

/// <summary>Knobs of <c>sparse serve</c>; each has a flag and this documented default.</summary>
public sealed record ServerOptions
{
    /// <summary>The impact index to serve and update.</summary>
    public required string IndexPath { get; init; }

    public string Urls { get; init; } = "http://127.0.0.1:8080";

    /// <summary>Longest accepted query, in characters (longer: 400).</summary>
    public int MaxQueryChars { get; init; } = 4096;

    /// <summary>Largest k a search may ask for.</summary>
    public int MaxK { get; init; } = 1000;

    /// <summary>Deepest hit a page may reach: from + k at most this (Elasticsearch's max_result_window).</summary>
    public int MaxResultWindow { get; init; } = 10_000;

    /// <summary>Postings a search may read to count its matches exactly; above it, total is a lower bound.</summary>
    public long MaxTotalCountPostings { get; init; } = 100_000;

    /// <summary>Largest accepted request body (larger: 413).</summary>
    public long MaxBodyBytes { get; init; } = 16 << 20;

    /// <summary>Most documents in one POST /documents.</summary>
    public int MaxDocumentsPerRequest { get; init; } = 10_000;

    /// <summary>A request running longer is cancelled and answered 503.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>API keys (none: open, allowed on loopback addresses only).</summary>
    public Security.ApiKeys Keys { get; init; } = Security.ApiKeys.None;

    /// <summary>Origins a browser may call the API from (CORS); none by default.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];
}
