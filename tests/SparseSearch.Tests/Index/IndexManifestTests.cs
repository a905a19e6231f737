using SparseSearch.Core;
using SparseSearch.Encoding;
using SparseSearch.Index;

namespace SparseSearch.Tests.Index;

public class IndexManifestTests
{
    private static readonly CorpusDocument[] Documents =
    [
        new("d1", "Sparse retrieval", "inverted indexes and impacts"),
        new("d2", "Dense retrieval", "vectors and nearest neighbours"),
    ];

    [Fact]
    public void Opening_an_index_with_another_encoder_fails_with_a_clear_message()
    {
        using var directory = TestPaths.Temporary();
        var path = directory.Combine("idx");
        IndexBuilder.Build(new ListCorpus(Documents), EncoderCatalog.Resolve("bm25", new EncoderOptions()), path, new IndexBuildOptions());

        var error = Assert.Throws<IndexMismatchException>(() => SearchEngines.Open(path, "bm25-wp", new EncoderOptions(TestPaths.BertVocab)));
        Assert.Contains("'bm25'", error.Message);
        Assert.Contains("'bm25-wp'", error.Message);
    }

    [Fact]
    public void Rebuilding_with_other_settings_is_refused_without_overwrite()
    {
        using var directory = TestPaths.Temporary();
        var path = directory.Combine("idx");
        IndexBuilder.Build(new ListCorpus(Documents), EncoderCatalog.Resolve("bm25", new EncoderOptions()), path, new IndexBuildOptions());
        var otherK1 = EncoderCatalog.Resolve("bm25", new EncoderOptions(K1: 1.2f));

        var error = Assert.Throws<IndexMismatchException>(() => IndexBuilder.Build(new ListCorpus(Documents), otherK1, path, new IndexBuildOptions()));
        Assert.Contains("k1", error.Message);
        IndexBuilder.Build(new ListCorpus(Documents), otherK1, path, new IndexBuildOptions { Overwrite = true });
        Assert.Equal("1.2", IndexManifest.Read(path).EncoderSettings["k1"]);
    }

    [Fact]
    public void Manifest_records_encoder_scale_and_count_and_the_searcher_uses_its_scale()
    {
        using var directory = TestPaths.Temporary();
        var path = directory.Combine("idx");
        IndexBuilder.Build(new ListCorpus(Documents), EncoderCatalog.Resolve("bm25", new EncoderOptions()), path, new IndexBuildOptions { QuantizationScale = 1000 });

        var manifest = IndexManifest.Read(path);
        Assert.Equal(("bm25", 1000f, 2L), (manifest.Encoder, manifest.QuantizationScale, manifest.DocumentCount));
        Assert.Equal("lucene-english", manifest.EncoderSettings["analyzer"]);
        Assert.False(Directory.Exists(path + IndexBuilder.PartialSuffix));
        using var engine = SearchEngines.Open(path, null, new EncoderOptions());
        Assert.Equal("d1", engine.Search("sparse impacts", 1)[0].DocId);
    }

    [Fact]
    public void A_directory_without_a_manifest_is_not_an_index()
    {
        using var directory = TestPaths.Temporary();
        var error = Assert.Throws<MissingInputException>(() => SearchEngines.Open(directory.Path, null, new EncoderOptions()));
        Assert.Contains(IndexManifest.FileName, error.Message);
    }

    private sealed class ListCorpus(IReadOnlyList<CorpusDocument> documents) : ICorpusSource
    {
        public string Description => "test documents";

        public long? KnownCount => documents.Count;

        public string Fingerprint() => "fixed";

        public IEnumerable<CorpusDocument> Read(CancellationToken cancellation = default) => documents;
    }
}
