using SparseSearch.Core;
using SparseSearch.Encoding;
using SparseSearch.Evaluation.Beir;
using SparseSearch.Index;
using SparseSearch.Index.Impact;
using SparseSearch.Index.Live;
using SparseSearch.Tests.Server;

namespace SparseSearch.Tests.Index;

/// <summary>The served index's guarantees: one writer, atomic replace, rollback of a failed write, honest reuse.</summary>
[Trait("Category", "Reliability")]
public class LiveIndexTests
{
    [Fact]
    public void A_second_writer_on_a_held_index_is_refused_naming_the_holder()
    {
        using var directory = TestPaths.Temporary();
        var path = BuildDemo(directory);
        using var first = LiveIndex.Open(path, "first writer");
        var error = Assert.Throws<IndexInUseException>(() => LiveIndex.Open(path, "second writer"));
        Assert.Contains("first writer", error.Message);
        Assert.Contains($"pid {Environment.ProcessId}", error.Message);
    }

    [Fact]
    public async Task Rebuilding_a_served_index_is_refused_and_the_index_keeps_answering()
    {
        using var directory = TestPaths.Temporary();
        var path = BuildDemo(directory);
        using var live = LiveIndex.Open(path, "sparse serve");
        var corpus = new BeirCorpus(BeirDataset.FindCorpus(DemoDataset(directory)));
        var encoder = EncoderCatalog.Resolve("bm25", new EncoderOptions());
        Assert.Throws<IndexInUseException>(() => IndexBuilder.Build(corpus, encoder, path, new IndexBuildOptions { QuantizationScale = 1000, Overwrite = true }));

        await live.AddAsync([Document("after-refusal", ("zebra", 2))]);
        Assert.True(live.Read(s => s.Find("after-refusal")) >= 0);
        Assert.Equal(31, live.Read(s => s.LiveDocumentCount));
    }

    [Fact]
    public async Task Readers_never_see_a_replaced_id_missing()
    {
        using var directory = TestPaths.Temporary();
        var path = BuildDemo(directory);
        const int Ids = 2_000;
        using var live = LiveIndex.Open(path, "replace storm");
        await live.AddAsync(Enumerable.Range(0, Ids).Select(i => Document($"r{i}", ("stormterm", 1 + (i % 7)))).ToArray());
        var expected = live.Read(s => s.LiveDocumentCount);

        using var stop = new CancellationTokenSource();
        var reads = 0L;
        var violations = 0L;
        // Readers on their own threads: on a loaded two-core machine, pool threads may not start before the writes end.
        var readers = Enumerable.Range(0, 3).Select(r => Task.Factory.StartNew(() =>
        {
            var random = new Random(r);
            while (!stop.IsCancellationRequested)
            {
                live.Read(searcher =>
                {
                    var missing = searcher.LiveDocumentCount != expected || searcher.Find($"r{random.Next(Ids)}") < 0
                        || searcher.Search(new SparseVector(new Dictionary<string, float> { ["stormterm"] = 1f }), Ids + 10).Count != Ids;
                    Interlocked.Add(ref violations, missing ? 1 : 0);
                    return Interlocked.Increment(ref reads);
                });
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        for (var round = 0; round < 25; round++)
        {
            // Every round replaces every id: a reader between the delete and the add would see none of them. Each round
            // starts only once the readers have read since the last, so reads and writes interleave however slow the
            // machine is.
            var before = Interlocked.Read(ref reads);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (Interlocked.Read(ref reads) == before && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(1);
            }

            await live.AddAsync(Enumerable.Range(0, Ids).Select(i => Document($"r{i}", ("stormterm", 1 + ((i + round) % 7)), ($"v{round}", 1))).ToArray());
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.True(reads >= 25, $"only {reads} reads ran alongside the writes");
        Assert.Equal(0, violations);
    }

    [Fact]
    public async Task A_write_that_fails_halfway_is_rolled_back_and_never_commits_its_delete()
    {
        using var directory = TestPaths.Temporary();
        var path = BuildDemo(directory);
        using (var live = LiveIndex.Open(path, "rollback"))
        {
            await live.AddAsync([Document("keep", ("alpha", 3))]);

            // The replacement of "keep" is deleted first, then its batch fails inside Lucene (a term twice in one
            // document puts the document twice in one postings list).
            var broken = new ImpactDocument("broken", "", "", [new TermImpact("x", 1), new TermImpact("x", 2)]);
            await Assert.ThrowsAnyAsync<Exception>(() => live.AddAsync([Document("keep", ("beta", 1)), broken]));
            Assert.True(live.Read(s => s.Find("keep")) >= 0, "the failed write's delete became visible");

            // A later good write commits: the failed write's buffered delete must not ride along with it.
            await live.AddAsync([Document("other", ("gamma", 1))]);
        }

        using var reopened = LiveIndex.Open(path, "check");
        Assert.True(reopened.Read(s => s.Find("keep")) >= 0);
        Assert.Equal(-1, reopened.Read(s => s.Find("broken")));
        Assert.Equal(32, reopened.Read(s => s.LiveDocumentCount));
    }

    [Fact]
    public async Task An_index_changed_through_the_service_is_not_reused_for_its_corpus()
    {
        using var directory = TestPaths.Temporary();
        var path = BuildDemo(directory);
        var corpus = new BeirCorpus(BeirDataset.FindCorpus(DemoDataset(directory)));
        var encoder = EncoderCatalog.Resolve("bm25", new EncoderOptions());
        Assert.NotNull(IndexBuilder.FindReusable(path, encoder, corpus, 1000, overwrite: false));
        using (var live = LiveIndex.Open(path, "writer"))
        {
            // A commit and the delete of an unknown id change no document: the index still holds exactly its corpus.
            await live.CommitAsync();
            Assert.False(await live.DeleteAsync("no-such-id"));
        }

        Assert.NotNull(IndexBuilder.FindReusable(path, encoder, corpus, 1000, overwrite: false));
        using (var live = LiveIndex.Open(path, "writer"))
        {
            await live.AddAsync([Document("extra", ("zebra", 2))]);
        }

        var error = Assert.Throws<IndexMismatchException>(() => IndexBuilder.FindReusable(path, encoder, corpus, 1000, overwrite: false));
        Assert.Contains("changed through the service", error.Message);
        Assert.Null(IndexBuilder.FindReusable(path, encoder, corpus, 1000, overwrite: true));
        Assert.Throws<IndexMismatchException>(() => IndexBuilder.EnsureBuilt(corpus, encoder, path, new IndexBuildOptions { QuantizationScale = 1000 }));
        Assert.False(IndexBuilder.EnsureBuilt(corpus, encoder, path, new IndexBuildOptions { QuantizationScale = 1000, Overwrite = true }));
        Assert.Equal(30, IndexManifest.Read(path).DocumentCount);
    }

    [Fact]
    public void An_index_of_the_previous_format_is_refused_and_rebuilt_when_overwriting()
    {
        using var directory = TestPaths.Temporary();
        var path = BuildDemo(directory);
        // Format 1 kept bounds in impact-bounds.bin, beside segments that carry none.
        var manifest = Path.Combine(path, IndexManifest.FileName);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"format_version\": 2", "\"format_version\": 1"));
        var corpus = new BeirCorpus(BeirDataset.FindCorpus(DemoDataset(directory)));
        var encoder = EncoderCatalog.Resolve("bm25", new EncoderOptions());
        Assert.Contains("rebuild", Assert.Throws<IndexMismatchException>(() => IndexBuilder.FindReusable(path, encoder, corpus, 1000, overwrite: false)).Message);
        Assert.False(IndexBuilder.EnsureBuilt(corpus, encoder, path, new IndexBuildOptions { QuantizationScale = 1000, Overwrite = true }));
        Assert.Equal(IndexManifest.CurrentFormatVersion, IndexManifest.Read(path).FormatVersion);
    }

    private static ImpactDocument Document(string id, params (string Term, int Impact)[] impacts) =>
        new(id, "", "", impacts.Select(i => new TermImpact(i.Term, i.Impact)).ToArray());

    private static string BuildDemo(TemporaryDirectory directory)
    {
        var path = directory.Combine("demo-bm25");
        ServerFixture.BuildDemoIndex(directory, path);
        return path;
    }

    private static string DemoDataset(TemporaryDirectory directory) =>
        new BeirDatasetLocator(directory.Combine("cache"), BeirDatasetLocator.OfficialBaseUrl).Resolve(BeirDatasetLocator.DemoName, null, default);
}
