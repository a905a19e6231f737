using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using SparseSearch.Core;
using SparseSearch.Encoding;
using SparseSearch.Index.Impact.TopK;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace SparseSearch.Index.Impact;

/// <summary>
/// Searches an impact index by the exact dot product of a float query vector and the dequantized document vectors.
/// The default is block-max MaxScore dynamic pruning (<see cref="BlockMaxScoreSearch"/>); exhaustive scoring and Lucene's own boosted-TermQuery disjunction scored by
/// <see cref="ImpactSimilarity"/> remain available as references. Thread-safe for concurrent searches.
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
        Bounds = TermUpperBounds.Read(path) ?? TermUpperBounds.Scan(_reader);
    }

    public TermUpperBounds Bounds { get; }

    public IndexManifest Manifest { get; }

    /// <summary>Lucene's maxDoc (deleted documents included until merged away), the N of BM25's idf as Lucene computes it.</summary>
    public long DocumentCount => _reader.MaxDoc;

    public long LiveDocumentCount => _reader.NumDocs;

    public int SegmentCount => _reader.Leaves.Count;

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

    public IReadOnlyList<Hit> Search(SparseVector query, int k, TopKAlgorithm algorithm = TopKAlgorithm.BlockMaxScore,
        CancellationToken cancellation = default) => StoredDocuments.ToHits(_reader, SearchTopDocs(query, k, algorithm, cancellation));

    /// <summary>The top k as Lucene doc numbers and scores, best first, ties to the lower doc number.</summary>
    public TopDocs SearchTopDocs(SparseVector query, int k, TopKAlgorithm algorithm = TopKAlgorithm.BlockMaxScore, CancellationToken cancellation = default)
    {
        if (query.Count == 0 || k <= 0)
        {
            return new TopDocs(0, [], float.NaN);
        }

        if (algorithm == TopKAlgorithm.LuceneBoolean)
        {
            return _searcher.Search(ToLuceneQuery(query), k);
        }

        var plan = QueryPlan.Create(query, Bounds, Manifest.QuantizationScale);
        var heap = new TopKHeap(k);
        if (algorithm == TopKAlgorithm.BlockMaxScore && plan.AllPositive)
        {
            BlockMaxScoreSearch.Search(_reader, plan, heap, cancellation);
        }
        else
        {
            // Non-positive weights break MaxScore's bounds; such queries are scored exhaustively.
            ExhaustiveSearch.Search(_reader, plan, heap, cancellation);
        }

        var top = heap.ToSortedArray();
        var scoreDocs = top.Select(e => new ScoreDoc(e.Doc, (float)(e.Score * plan.Unit))).ToArray();
        return new TopDocs(scoreDocs.Length, scoreDocs, scoreDocs.Length > 0 ? scoreDocs[0].Score : float.NaN);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _directory.Dispose();
    }
}
