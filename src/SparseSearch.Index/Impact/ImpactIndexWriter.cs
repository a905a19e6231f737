using Lucene.Net.Analysis.Core;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;
using SparseSearch.Core;
using SparseSearch.Index.Impact.Codec;

namespace SparseSearch.Index.Impact;

/// <summary>
/// Writes quantized sparse vectors into a Lucene index, a batch at a time (see <see cref="ImpactBatchReader"/>).
/// A document whose id is already in the index, or earlier in the same batch, replaces it. A full batch is written on a
/// background task while the next one fills (one batch in flight at most, so memory stays bounded); Commit, Delete and
/// ForceMerge wait for it. Not thread-safe: one thread adds.
/// </summary>
public sealed class ImpactIndexWriter : IDisposable
{
    public const int DefaultBatchSize = 20_000;

    /// <summary>
    /// In a bulk build, how many segments may pile up before any merge, and how many the final merge reads at once.
    /// Every merge before the final one rewrites postings the final merge writes again: for a million SPLADE-like
    /// documents (50 batches), merges along the way plus a final merge in two passes took 14.8 s, one final pass over
    /// all 50 segments 11 s. 100 segments keep open files in the hundreds, and an index that outgrows that still merges,
    /// 100 segments at a time.
    /// </summary>
    public const int BulkSegmentsPerMerge = 100;

    private readonly IndexWriter _writer;
    private readonly ImpactQuantizer _quantizer;
    private readonly bool _storeText;
    private readonly int _batchSize;
    private readonly Dictionary<string, int> _positionById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<ImpactDocument>> _chunksOfParent = new(StringComparer.Ordinal);
    private readonly List<ImpactDocument> _batch = [];
    private readonly bool _replaceExisting;
    private readonly KnownIds? _knownIds;
    private readonly int _finalSegments;
    private Task _inFlight = Task.CompletedTask;

    /// <param name="replaceExisting">Delete earlier documents with the same id; off for a fresh build, where none exist.</param>
    /// <param name="bulk">A build that ends with <see cref="ForceMerge"/>: segments are left unmerged until then.</param>
    /// <param name="finalSegments">Segments <see cref="ForceMerge"/> leaves, merged in parallel (see <see cref="BulkMergePolicy"/>).</param>
    /// <param name="approximate">Write approximate-search structures with every large enough segment (flush or merge); null: none.</param>
    public ImpactIndexWriter(string path, ImpactQuantizer quantizer, bool storeText = true, int batchSize = DefaultBatchSize, bool replaceExisting = true,
        bool bulk = false, int finalSegments = 1, Approximate.ApproximateIndexSettings? approximate = null)
    {
        _quantizer = quantizer;
        _storeText = storeText;
        _batchSize = batchSize;
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, new KeywordAnalyzer())
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            Similarity = new ImpactSimilarity(),
            // Writes each segment's term bounds with its postings, at flush and at merge alike.
            Codec = approximate is null ? ImpactCodec.Instance : new ImpactCodec(approximate),
            // Compound files would copy every small segment once more; an impact index has few files per segment anyway.
            UseCompoundFile = false,
        };
        config.MergePolicy.NoCFSRatio = 0;
        _finalSegments = Math.Max(1, finalSegments);
        if (bulk)
        {
            config.MergePolicy = new BulkMergePolicy();
            var scheduler = new ConcurrentMergeScheduler();
            scheduler.SetMaxMergesAndThreads(_finalSegments + 2, _finalSegments);
            config.MergeScheduler = scheduler;
        }

        _writer = new IndexWriter(FSDirectory.Open(path), config);
        // Only a bulk build adds enough documents per batch for needless deletes to cost; the service adds a few at a
        // time and would pay a scan of every id at start-up for nothing.
        _replaceExisting = replaceExisting;
        _knownIds = replaceExisting && bulk ? ScanIds() : null;
    }

    public long DocumentCount
    {
        get
        {
            WaitForBatchInFlight();
            return _writer.NumDocs + _batch.Count;
        }
    }

    /// <summary>In a chunked index: the documents (first chunks) live in the index, pending ones included.</summary>
    public long ChunkedDocumentCount
    {
        get
        {
            using var reader = OpenReader();
            return Chunking.ChunkedDocuments.Count(reader);
        }
    }

    public void Add(string id, string title, string text, SparseVector vector) =>
        Add(new ImpactDocument(id, _storeText ? title : "", _storeText ? text : "", _quantizer.Quantize(vector)));

    public void Add(ImpactDocument document)
    {
        // A full batch is written before the next document, never between two chunks of one: a batch's replace-by-parent
        // deletes would otherwise remove the chunks of the same document the previous batch wrote.
        if (_batch.Count >= _batchSize && (document.Parent is null || document.Chunk.Ordinal == 0))
        {
            Flush();
        }

        if (document.Parent is { } parent && document.Chunk.Ordinal == 0 && _chunksOfParent.Remove(parent, out var earlier))
        {
            // The document came again within this batch: its earlier chunks go, even those the new version has no counterpart for.
            _batch.RemoveAll(d => earlier.Contains(d));
            _positionById.Clear();
            for (var i = 0; i < _batch.Count; i++)
            {
                _positionById[_batch[i].Id] = i;
            }
        }

        if (document.Parent is { } owner)
        {
            if (!_chunksOfParent.TryGetValue(owner, out var chunks))
            {
                _chunksOfParent[owner] = chunks = new HashSet<ImpactDocument>(ReferenceEqualityComparer.Instance);
            }

            chunks.Add(document);
        }

        if (_positionById.TryGetValue(document.Id, out var position))
        {
            _batch[position] = document;
        }
        else
        {
            _positionById[document.Id] = _batch.Count;
            _batch.Add(document);
        }
    }

    /// <param name="chunked">In a chunked index an id names a document whose chunks are all deleted.</param>
    public void Delete(string id, bool chunked = false)
    {
        Flush();
        WaitForBatchInFlight();
        _writer.DeleteDocuments(new Term(chunked ? IndexFields.Parent : IndexFields.Id, id));
    }

    /// <summary>Makes everything added so far durable, with optional user data recorded in the Lucene commit.</summary>
    public void Commit(IDictionary<string, string>? userData = null)
    {
        CommitInBackground(userData);
        WaitForBatchInFlight();
    }

    /// <summary>
    /// <see cref="Commit"/> without waiting for it: the pending documents are written and committed on the background
    /// writer while the caller goes on adding, so a bulk build's periodic commits do not stall it (waiting for ten of
    /// them cost 7% of a million-document build). Durable once any later call that waits returns; a failure surfaces
    /// there.
    /// </summary>
    public void CommitInBackground(IDictionary<string, string>? userData = null)
    {
        var batch = TakeBatch();
        WaitForBatchInFlight();
        _inFlight = Task.Run(() =>
        {
            if (batch.Length > 0)
            {
                Write(batch);
            }

            if (userData is not null)
            {
                _writer.SetCommitData(userData);
            }

            _writer.Commit();
        });
    }

    /// <summary>A near-real-time reader of everything added and flushed so far, committed or not.</summary>
    public DirectoryReader OpenReader()
    {
        Flush();
        WaitForBatchInFlight();
        return DirectoryReader.Open(_writer, applyAllDeletes: true);
    }

    /// <summary>The Lucene writer, for near-real-time reader management (e.g. Lucene's SearcherManager).</summary>
    public IndexWriter LuceneWriter => _writer;

    /// <summary>Lets the merge policy fold small segments (the service adds one per request).</summary>
    public void MaybeMerge() => _writer.MaybeMerge();

    /// <summary>
    /// Merges the index down to the writer's final segment count (one unless a bulk build asked for more, merged in
    /// parallel): worth it once a build is finished.
    /// </summary>
    public void ForceMerge()
    {
        Flush();
        WaitForBatchInFlight();
        _writer.ForceMerge(_finalSegments);
    }

    private KnownIds ScanIds()
    {
        if (_writer.MaxDoc == 0)
        {
            return new KnownIds();
        }

        using var reader = DirectoryReader.Open(_writer, applyAllDeletes: false);
        return KnownIds.Scan(reader);
    }

    /// <summary>Hands the pending batch to the background writer, after the previous one has finished.</summary>
    private void Flush()
    {
        if (_batch.Count == 0)
        {
            return;
        }

        var batch = TakeBatch();
        WaitForBatchInFlight();
        _inFlight = Task.Run(() => Write(batch));
    }

    private ImpactDocument[] TakeBatch()
    {
        var batch = _batch.ToArray();
        _batch.Clear();
        _positionById.Clear();
        _chunksOfParent.Clear();
        return batch;
    }

    private void Write(ImpactDocument[] batch)
    {
        if (_replaceExisting)
        {
            // A chunk replaces every chunk of its document (a new version may have fewer); a whole document, its id.
            var replaced = batch.Select(d => d.Parent is { } parent ? new Term(IndexFields.Parent, parent) : new Term(IndexFields.Id, d.Id))
                .Where(t => _knownIds?.MightContain(t.Text) ?? true).Distinct().ToArray();
            if (replaced.Length > 0)
            {
                _writer.DeleteDocuments(replaced);
            }
        }

        using var reader = new ImpactBatchReader(batch, _storeText);
        _writer.AddIndexes(reader);
        foreach (var document in batch)
        {
            _knownIds?.Add(document.Parent ?? document.Id);
        }
    }

    /// <summary>Rethrows a failure of the background batch here, on the adding thread.</summary>
    private void WaitForBatchInFlight() => _inFlight.GetAwaiter().GetResult();

    /// <summary>Discards everything since the last commit (buffered deletes included) and closes the writer.</summary>
    public void RollBack()
    {
        try
        {
            _inFlight.Wait();
        }
        catch (AggregateException)
        {
            // The failure being rolled back; the caller already has it.
        }

        _batch.Clear();
        _positionById.Clear();
        _writer.Rollback();
        _writer.Directory.Dispose();
    }

    public void Dispose()
    {
        try
        {
            WaitForBatchInFlight();
        }
        finally
        {
            _writer.Dispose();
            _writer.Directory.Dispose();
        }
    }
}
