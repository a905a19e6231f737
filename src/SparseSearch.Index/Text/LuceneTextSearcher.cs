using System.Globalization;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using SparseSearch.Core;
using SparseSearch.Encoding.Analysis;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace SparseSearch.Index.Text;

/// <summary>
/// Lucene's own BM25 over the reference text index, with Anserini's bag-of-words query: one SHOULD term query per
/// distinct analysed term, boosted by how often it occurs in the query.
/// </summary>
public sealed class LuceneTextSearcher : IDisposable
{
    private readonly LuceneDirectory _directory;
    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;
    private readonly ITermAnalyzer _analyzer;

    public LuceneTextSearcher(string path, IndexManifest manifest, ITermAnalyzer analyzer)
    {
        Manifest = manifest;
        _analyzer = analyzer;
        _directory = FSDirectory.Open(path);
        _reader = DirectoryReader.Open(_directory);
        var k1 = float.Parse(manifest.EncoderSettings["k1"], CultureInfo.InvariantCulture);
        var b = float.Parse(manifest.EncoderSettings["b"], CultureInfo.InvariantCulture);
        _searcher = new IndexSearcher(_reader) { Similarity = new BM25Similarity(k1, b) };
    }

    public IndexManifest Manifest { get; }

    public long DocumentCount => _reader.MaxDoc;

    public IReadOnlyList<Hit> Search(string query, int k, Filters.SearchFilter? filter = null) =>
        Top(query, k, filter) is { } top ? StoredDocuments.ToHits(_reader, top) : [];

    /// <summary>Hits with stored title and a snippet around the query's analysed terms (no per-term contributions: BM25 is Lucene's).</summary>
    public IReadOnlyList<Impact.DetailedHit> SearchDetailed(string query, int k, Filters.SearchFilter? filter = null)
    {
        var top = Top(query, k, filter);
        if (top is null)
        {
            return [];
        }

        var matched = _analyzer.Terms(query).ToHashSet(StringComparer.Ordinal);
        return top.ScoreDocs.Select(d =>
        {
            var fields = _reader.Document(d.Doc);
            var (title, text) = (fields.Get(IndexFields.Title) ?? "", fields.Get(IndexFields.Text) ?? "");
            return new Impact.DetailedHit(fields.Get(IndexFields.Id) ?? "", d.Score, title, Snippets.Build(text.Length > 0 ? text : title, matched, _analyzer), null)
            {
                Metadata = fields.Get(IndexFields.Metadata),
            };
        }).ToArray();
    }

    private TopDocs? Top(string query, int k, Filters.SearchFilter? filter)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var term in _analyzer.Terms(query))
        {
            counts[term] = counts.GetValueOrDefault(term) + 1;
        }

        if (counts.Count == 0 || k <= 0)
        {
            return null;
        }

        var boolean = new BooleanQuery();
        foreach (var (term, count) in counts)
        {
            boolean.Add(new TermQuery(new Term(IndexFields.Contents, term)) { Boost = count }, Occur.SHOULD);
        }

        return filter is null ? _searcher.Search(boolean, k) : _searcher.Search(boolean, new Filters.MetadataFilter(filter), k);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _directory.Dispose();
    }
}
