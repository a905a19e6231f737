using SparseSearch.Core;

namespace SparseSearch.Index;

/// <summary>An open index that answers text queries: what the eval harness, the CLI and the server call.</summary>
public interface ISearchEngine : IDisposable
{
    IndexManifest Manifest { get; }

    long DocumentCount { get; }

    /// <summary>The query's term weights as the engine scores them (empty for engines that do not expose them).</summary>
    SparseVector EncodeQuery(string query);

    /// <param name="filter">Metadata filter applied inside the top k, or null.</param>
    IReadOnlyList<Hit> Search(string query, int k, Filters.SearchFilter? filter = null);

    /// <summary>
    /// The top k with stored titles and snippets; with <paramref name="explain"/>, each hit's matched terms and their
    /// contributions (impact indexes; Lucene's own BM25 index returns none).
    /// </summary>
    IReadOnlyList<Impact.DetailedHit> SearchDetailed(string query, int k, bool explain, Filters.SearchFilter? filter = null);
}
