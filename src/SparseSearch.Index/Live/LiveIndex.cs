using Lucene.Net.Search;
using SparseSearch.Core;
using SparseSearch.Encoding;
using SparseSearch.Index.Impact;

namespace SparseSearch.Index.Live;

/// <summary>
/// A served impact index: one writer (held exclusively through <see cref="IndexLock"/>) and a manager of
/// near-real-time readers. Writes are serialized; each is committed before it returns (durable) and only then made
/// visible, by a refresh taken under the same lock, so a reader sees a write whole or not at all: a replaced id is
/// never missing. A write that fails rolls the writer back to the last commit — which holds every acknowledged write —
/// so a half-applied replace can never be committed by a later one. Disposing commits what is pending and releases
/// the lock.
/// </summary>
public sealed class LiveIndex : IDisposable
{
    private readonly string _path;
    private readonly IndexLock _lock;
    private readonly ImpactQuantizer _quantizer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private volatile Generation _current;
    private IndexManifest _manifest;
    private bool _disposed;

    private LiveIndex(string path, IndexLock held, IndexManifest manifest)
    {
        _path = path;
        _lock = held;
        _manifest = manifest;
        _quantizer = new ImpactQuantizer(manifest.QuantizationScale);
        _current = Generation.Open(path, _quantizer, manifest.Approximate);
    }

    public IndexManifest Manifest => _manifest;

    public string Path => _path;

    public ImpactQuantizer Quantizer => _quantizer;

    /// <summary>Takes the index's writer lock (refused with <see cref="IndexInUseException"/> while another process holds it) and opens it.</summary>
    public static LiveIndex Open(string path, string purpose)
    {
        var manifest = IndexManifest.Read(path);
        if (manifest.Kind != IndexKind.Impact)
        {
            throw new InvalidSettingException($"index {path} was built with '{manifest.Encoder}', a Lucene text index; serving needs an impact index (e.g. --encoder bm25)");
        }

        var held = IndexLock.Acquire(path, purpose);
        try
        {
            return new LiveIndex(path, held, manifest);
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="read"/> on the current reader, released afterwards.</summary>
    public T Read<T>(Func<ImpactIndexSearcher, T> read)
    {
        var generation = _current;
        var lucene = generation.Searchers.Acquire();
        try
        {
            return read(ImpactIndexSearcher.Over(lucene.IndexReader, _manifest));
        }
        finally
        {
            generation.Searchers.Release(lucene);
        }
    }

    /// <summary>Adds or replaces documents (by id) atomically; durable and visible when the task completes.</summary>
    public Task AddAsync(IReadOnlyList<ImpactDocument> documents) => WriteAsync(writer =>
    {
        foreach (var document in documents)
        {
            writer.Add(document);
        }

        return true;
    });

    /// <summary>Deletes a document; false when no live document has that id.</summary>
    public Task<bool> DeleteAsync(string id) => WriteAsync(writer =>
    {
        if (Read(searcher => searcher.Find(Manifest.Chunking is null ? id : Chunking.ChunkIds.Of(id, 0))) < 0)
        {
            return false;
        }

        writer.Delete(id, chunked: Manifest.Chunking is not null);
        return true;
    });

    /// <summary>Commits what is pending (nothing: every write commits); changes no document.</summary>
    public Task CommitAsync() => WriteAsync(_ => false);

    /// <summary>
    /// Runs <paramref name="write"/> under the write lock, commits, then makes it visible. The delegate says whether it
    /// changed any document: only then is the index marked as changed since its build.
    /// </summary>
    private async Task<bool> WriteAsync(Func<ImpactIndexWriter, bool> write)
    {
        await _writeLock.WaitAsync();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var generation = _current;
            bool changed;
            try
            {
                changed = write(generation.Writer);
                if (changed && !_manifest.ChangedSinceBuild)
                {
                    // Before the commit: a crash right after it must still leave the index marked as changed.
                    _manifest = _manifest with { ChangedSinceBuild = true };
                    _manifest.Write(_path);
                }

                generation.Writer.Commit();
            }
            catch
            {
                // Nothing of this write was acknowledged; the last commit holds everything that was.
                _current = generation.RollBack(_path, _quantizer, _manifest.Approximate);
                throw;
            }

            generation.Writer.MaybeMerge();
            _manifest = _manifest with { DocumentCount = generation.Writer.DocumentCount };
            _manifest.Write(_path);
            generation.Searchers.MaybeRefreshBlocking();
            return changed;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Dispose()
    {
        _writeLock.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _current.Dispose();
            _lock.Dispose();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>A writer and the reader manager over it; replaced whole when a failed write rolls the writer back.</summary>
    private sealed class Generation(ImpactIndexWriter writer, SearcherManager searchers) : IDisposable
    {
        public ImpactIndexWriter Writer => writer;

        public SearcherManager Searchers => searchers;

        /// <param name="approximate">The index's approximate-structure settings, so the service's merges keep building them.</param>
        public static Generation Open(string path, ImpactQuantizer quantizer, Approximate.ApproximateIndexSettings? approximate)
        {
            var writer = new ImpactIndexWriter(path, quantizer, storeText: true, batchSize: int.MaxValue, replaceExisting: true, approximate: approximate);
            return new Generation(writer, new SearcherManager(writer.LuceneWriter, applyAllDeletes: true, new SearcherFactory()));
        }

        /// <summary>Discards everything since the last commit and opens a fresh writer; readers still holding the old one finish on it.</summary>
        public Generation RollBack(string path, ImpactQuantizer quantizer, Approximate.ApproximateIndexSettings? approximate)
        {
            searchers.Dispose();
            writer.RollBack();
            return Open(path, quantizer, approximate);
        }

        public void Dispose()
        {
            try
            {
                writer.Commit();
            }
            finally
            {
                searchers.Dispose();
                writer.Dispose();
            }
        }
    }
}
