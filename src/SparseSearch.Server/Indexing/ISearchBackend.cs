using SparseSearch.Index.Approximate;
using SparseSearch.Index.Filters;
using SparseSearch.Index.MultiField;
using SparseSearch.Server.Api;

namespace SparseSearch.Server.Indexing;

/// <summary>A search as the endpoints read it, before any index sees it.</summary>
/// <param name="FilterJson">The filter as the client wrote it, for a backend that forwards it (a cluster's shards).</param>
/// <param name="CountBudget">Postings a total may cost before it becomes a lower bound.</param>
/// <param name="AllowPartial">A cluster answers with the shards it reaches (flagged) instead of failing while one is away.</param>
public sealed record SearchQuery(string Query, int From, int K, bool Explain, SearchFilter? Filter, string? FilterJson, FusionSettings? Fusion, int? FirstPassages,
    ApproximateSearchSettings? Approximate, long CountBudget, bool AllowPartial = true);

/// <summary>
/// What the HTTP API serves: one node's index (<see cref="IndexService"/>) or a cluster's shards, reached through
/// Orleans. The endpoints validate requests and shape responses; a backend finds, writes and counts.
/// </summary>
public interface ISearchBackend : IDisposable
{
    Task<SearchResponse> SearchAsync(SearchQuery query, CancellationToken cancellation);

    Task<DocumentPage> ListAsync(long from, int size, CancellationToken cancellation);

    Task<DocumentView?> GetAsync(string id, CancellationToken cancellation);

    /// <summary>Writes documents; durable and searchable when the task completes (the acknowledgement).</summary>
    Task<int> AddAsync(IReadOnlyList<DocumentInput> documents, CancellationToken cancellation);

    Task<bool> DeleteAsync(string id, CancellationToken cancellation);

    Task CommitAsync(CancellationToken cancellation);

    Task<StatsResponse> StatsAsync(CancellationToken cancellation);
}
