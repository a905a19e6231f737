using SparseSearch.Encoding;
using SparseSearch.Evaluation.Beir;
using SparseSearch.Index;
using SparseSearch.Index.Sharding;
using SparseSearch.Server.Api;
using SparseSearch.Server.Indexing;

namespace SparseSearch.Tests.Cluster;

/// <summary>
/// A shard that cannot be served (its directory is gone): by default the others answer, flagged partial; with
/// allow_partial false the search is a 503 naming the missing shard; a write it owns is refused, not acknowledged.
/// </summary>
[Trait("Category", "Cluster")]
public class PartialAnswerTests
{
    [Fact]
    public async Task Without_a_shard_searches_answer_partially_or_refuse_and_its_writes_are_not_acknowledged()
    {
        using var directory = TestPaths.Temporary();
        var corpus = new BeirCorpus(BeirDataset.Open(TestPaths.Dataset("cacm")).CorpusPath);
        using (var encoder = EncoderCatalog.Resolve("bm25", new EncoderOptions()))
        {
            ShardedIndexBuilder.EnsureBuilt(corpus, encoder, directory.Path, new IndexBuildOptions { QuantizationScale = encoder.DefaultQuantizationScale }, shards: 4);
        }

        Directory.Move(ClusterManifest.ShardPath(directory.Path, 2), directory.Combine("away"));
        await using var cluster = await InProcessCluster.StartAsync(directory.Path, silos: 2, shardTimeout: TimeSpan.FromSeconds(10));
        var backend = cluster.Backend;

        var partial = await backend.SearchAsync(new SearchQuery("parallel algorithms", 0, 10, false, null, null, null, null, null, long.MaxValue), CancellationToken.None);
        Assert.True(partial.Partial);
        Assert.Equal(new ShardsAnswered(4, 3, 1), partial.Shards);
        Assert.Equal(10, partial.Hits.Count);
        Assert.Equal("gte", partial.Total.Relation);

        var refused = await Assert.ThrowsAsync<ProblemException>(() => backend.SearchAsync(
            new SearchQuery("parallel algorithms", 0, 10, false, null, null, null, null, null, long.MaxValue, AllowPartial: false), CancellationToken.None));
        Assert.Equal(503, refused.Status);
        Assert.Contains("shard(s) 2 did not answer", refused.Message);

        var owned = Enumerable.Range(0, 1000).Select(n => $"doc-{n}").First(id => ShardRouting.ShardOf(id, 4) == 2);
        var other = Enumerable.Range(0, 1000).Select(n => $"doc-{n}").First(id => ShardRouting.ShardOf(id, 4) == 0);
        var write = await Assert.ThrowsAsync<ProblemException>(() => backend.AddAsync([new DocumentInput(owned, Text: "unacknowledged")], CancellationToken.None));
        Assert.Equal(503, write.Status);
        Assert.Equal(1, await backend.AddAsync([new DocumentInput(other, Text: "acknowledged quokka")], CancellationToken.None));
        Assert.Equal(other, (await backend.GetAsync(other, CancellationToken.None))?.Id);
    }
}
