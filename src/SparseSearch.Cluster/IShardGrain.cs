namespace SparseSearch.Cluster;

/// <summary>
/// One shard of a sharded index (<c>DIR/shard-&lt;key&gt;</c>), served by whichever silo activates it. Orleans keeps one
/// activation per shard in the cluster, and the shard's writer lock keeps it that way on disk too.
/// </summary>
public interface IShardGrain : IGrainWithIntegerKey
{
    Task<ClusterDescription> Describe();

    /// <summary>Document count and the analysed query terms' document frequencies (the DFS phase of a search).</summary>
    Task<ShardTermStatistics> TermStatistics(string query);

    /// <summary>The query weighted by the index's encoder against the cluster's statistics (summed by the front end).</summary>
    /// <summary>The terms' largest impacts in this shard (0: absent), for terms a model's query added beyond the analysed ones.</summary>
    Task<Dictionary<string, int>> MaxImpacts(string[] terms);

    Task<Dictionary<string, float>> EncodeQuery(string query, long documentCount, Dictionary<string, long> docFreqs);

    Task<ShardSearchResult> Search(ShardSearchRequest request);

    /// <summary>Writes documents this shard owns; returns when they are committed (null) or the problem that refused them.</summary>
    Task<ShardProblem?> Add(ShardDocument[] documents);

    Task<bool> Delete(string id);

    Task Commit();

    Task<ShardDocumentView?> Get(string id);

    Task<ShardDocumentPage> List(long from, int size);

    /// <summary>Live documents: where this shard's part of the cluster's document list starts.</summary>
    Task<long> DocumentCount();

    Task<ShardStats> Stats();
}
