using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using SparseSearch.Core;
using SparseSearch.Encoding;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace SparseSearch.Index.Impact;

/// <summary>
/// Searches an impact index by the exact dot product of a float query vector and the dequantized document vectors:
/// a disjunction of term queries, each boosted by weight / scale, scored by <see cref="ImpactSimilarity"/>.
/// Thread-safe for concurrent searches.
/// </summary>
public sealed class ImpactIndexSearcher : ITermStatistics, IDisposable
{
    private readonly LuceneDirectory _directory;
    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;

    static ImpactIndexSearcher()
    {
        // Expanded (SPLADE-style) queries carry hundreds of terms; Lucene's default cap of 1024 clauses is too low.
        BooleanQuery.MaxClauseCount = 1 << 16;
    }

    private ImpactIndexSearcher(string path, IndexManifest manifest)
    {
        Manifest = manifest;
        _directory = FSDirectory.Open(path);
        _reader = DirectoryReader.Open(_directory);
        _searcher = new IndexSearcher(_reader) { Similarity = new ImpactSimilarity() };
    }

    public IndexManifest Manifest { get; }

    /// <summary>Lucene's maxDoc (deleted documents included until merged away), the N of BM25's idf as Lucene computes it.</summary>
    public long DocumentCount => _reader.MaxDoc;

    public long LiveDocumentCount => _reader.NumDocs;

    public static ImpactIndexSearcher Open(string path, IndexManifest manifest) => new(path, manifest);

    public long DocFreq(string term) => _reader.DocFreq(new Term(IndexFields.Impacts, term));

    /// <summary>The Lucene query whose score is the dot product with <paramref name="query"/>.</summary>
    public Query ToLuceneQuery(SparseVector query)
    {
        var boolean = new BooleanQuery(disableCoord: true);
        foreach (var (term, weight) in query.Weights)
        {
            boolean.Add(new TermQuery(new Term(IndexFields.Impacts, term)) { Boost = weight / Manifest.QuantizationScale }, Occur.SHOULD);
        }

        return boolean;
    }

    public IReadOnlyList<Hit> Search(SparseVector query, int k)
    {
        if (query.Count == 0 || k <= 0)
        {
            return [];
        }

        var top = _searcher.Search(ToLuceneQuery(query), k);
        return StoredDocuments.ToHits(_reader, top);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _directory.Dispose();
    }
}
