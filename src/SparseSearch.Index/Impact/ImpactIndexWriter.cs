using Lucene.Net.Analysis.Core;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;
using SparseSearch.Core;

namespace SparseSearch.Index.Impact;

/// <summary>
/// Writes quantized sparse vectors into a Lucene index, a batch at a time (see <see cref="ImpactBatchReader"/>).
/// A document whose id is already in the index, or earlier in the same batch, replaces it.
/// </summary>
public sealed class ImpactIndexWriter : IDisposable
{
    public const int DefaultBatchSize = 20_000;

    private readonly IndexWriter _writer;
    private readonly ImpactQuantizer _quantizer;
    private readonly bool _storeText;
    private readonly int _batchSize;
    private readonly bool _replaceExisting;
    private readonly Dictionary<string, int> _positionById = new(StringComparer.Ordinal);
    private readonly List<ImpactDocument> _batch = [];

    /// <param name="replaceExisting">Delete earlier documents with the same id; off for a fresh build, where none exist.</param>
    public ImpactIndexWriter(string path, ImpactQuantizer quantizer, bool storeText = true, int batchSize = DefaultBatchSize, bool replaceExisting = true)
    {
        _quantizer = quantizer;
        _storeText = storeText;
        _batchSize = batchSize;
        _replaceExisting = replaceExisting;
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, new KeywordAnalyzer())
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            Similarity = new ImpactSimilarity(),
        };
        _writer = new IndexWriter(FSDirectory.Open(path), config);
    }

    public long DocumentCount => _writer.NumDocs + _batch.Count;

    public void Add(string id, string title, string text, SparseVector vector) =>
        Add(new ImpactDocument(id, _storeText ? title : "", _storeText ? text : "", _quantizer.Quantize(vector)));

    public void Add(ImpactDocument document)
    {
        if (_positionById.TryGetValue(document.Id, out var position))
        {
            _batch[position] = document;
        }
        else
        {
            _positionById[document.Id] = _batch.Count;
            _batch.Add(document);
        }

        if (_batch.Count >= _batchSize)
        {
            Flush();
        }
    }

    public void Delete(string id)
    {
        Flush();
        _writer.DeleteDocuments(new Term(IndexFields.Id, id));
    }

    /// <summary>Makes everything added so far durable, with optional user data recorded in the Lucene commit.</summary>
    public void Commit(IDictionary<string, string>? userData = null)
    {
        Flush();
        if (userData is not null)
        {
            _writer.SetCommitData(userData);
        }

        _writer.Commit();
    }

    /// <summary>Merges the index down to one segment: fastest to search, worth it once a build is finished.</summary>
    public void ForceMerge() => _writer.ForceMerge(1);

    private void Flush()
    {
        if (_batch.Count == 0)
        {
            return;
        }

        if (_replaceExisting)
        {
            _writer.DeleteDocuments(_batch.Select(d => new Term(IndexFields.Id, d.Id)).ToArray());
        }

        using (var reader = new ImpactBatchReader(_batch, _storeText))
        {
            _writer.AddIndexes(reader);
        }

        _batch.Clear();
        _positionById.Clear();
    }

    public void Dispose()
    {
        _writer.Dispose();
        _writer.Directory.Dispose();
    }
}
