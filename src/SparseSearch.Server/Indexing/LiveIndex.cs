using System.Diagnostics;
using Lucene.Net.Search;
using SparseSearch.Core;
using SparseSearch.Encoding;
using SparseSearch.Index;
using SparseSearch.Index.Impact;
using SparseSearch.Server.Api;

namespace SparseSearch.Server.Indexing;

/// <summary>
/// The served index: one writer, many readers. Searches run on near-real-time readers handed out by Lucene's
/// SearcherManager (refreshed after every write and every <see cref="ServerOptions.RefreshInterval"/>); writes are
/// serialized, committed before they are acknowledged (durable) and refreshed before they return (visible).
/// Disposing commits whatever is pending: a graceful shutdown loses nothing.
/// </summary>
public sealed class LiveIndex : IDisposable
{
    private readonly ImpactIndexWriter _writer;
    private readonly SearcherManager _searchers;
    private readonly EncoderDefinition _encoder;
    private readonly IDocumentEncoder? _documentEncoder;
    private readonly ImpactQuantizer _quantizer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Timer _refresh;
    private readonly string _path;
    private IndexManifest _manifest;

    private LiveIndex(string path, IndexManifest manifest, EncoderDefinition encoder, TimeSpan refreshInterval)
    {
        _path = path;
        _manifest = manifest;
        _encoder = encoder;
        _quantizer = new ImpactQuantizer(manifest.QuantizationScale);
        _documentEncoder = CreateDocumentEncoder(encoder, manifest);
        _writer = new ImpactIndexWriter(path, _quantizer, storeText: true, batchSize: int.MaxValue, replaceExisting: true);
        _searchers = new SearcherManager(_writer.LuceneWriter, applyAllDeletes: true, new SearcherFactory());
        _refresh = new Timer(_ => _searchers.MaybeRefresh(), null, refreshInterval, refreshInterval);
    }

    public IndexManifest Manifest => _manifest;

    public string Path => _path;

    /// <summary>Opens an impact index for serving; text (lucene-bm25) indexes are refused, since they cannot explain scores.</summary>
    public static LiveIndex Open(string path, EncoderOptions options, TimeSpan refreshInterval)
    {
        var manifest = IndexManifest.Read(path);
        if (manifest.Kind != IndexKind.Impact)
        {
            throw new InvalidSettingException($"index {path} was built with '{manifest.Encoder}', a Lucene text index; sparse serve needs an impact index (e.g. --encoder bm25)");
        }

        var encoder = SearchEngines.ResolveEncoder(manifest, path, options);
        return new LiveIndex(path, manifest, encoder, refreshInterval);
    }

    public SearchResponse Search(string query, int k, bool explain, CancellationToken cancellation) => WithSearcher(searcher =>
    {
        var clock = Stopwatch.StartNew();
        var vector = _encoder.CreateQueryEncoder(searcher).Encode(query);
        var top = searcher.SearchTopDocs(vector, k, cancellation: cancellation);
        var explained = searcher.Explain(vector, top.ScoreDocs.Select(d => d.Doc).ToArray());
        var hits = new List<SearchHit>(top.ScoreDocs.Length);
        for (var rank = 0; rank < top.ScoreDocs.Length; rank++)
        {
            var stored = searcher.Document(top.ScoreDocs[rank].Doc);
            var contributions = explained[rank];
            var matched = contributions.Select(c => c.Term).ToHashSet(StringComparer.Ordinal);
            var snippet = Snippets.Build(stored.Text.Length > 0 ? stored.Text : stored.Title, matched, _encoder.Analyzer);
            hits.Add(new SearchHit(stored.Id, top.ScoreDocs[rank].Score, stored.Title, snippet.Text, snippet.Highlights,
                explain ? contributions.Select(c => new MatchedTerm(c.Term, c.QueryWeight, c.DocumentWeight, c.Contribution)).ToArray() : null));
        }

        var terms = vector.Weights.OrderByDescending(w => w.Value).ThenBy(w => w.Key, StringComparer.Ordinal).Select(w => new QueryTerm(w.Key, w.Value)).ToArray();
        return new SearchResponse(hits, clock.Elapsed.TotalMilliseconds, terms);
    });

    /// <summary>A stored document with its whole vector (read term by term from the postings: for inspection, not bulk use).</summary>
    public DocumentView? Get(string id) => WithSearcher(searcher =>
    {
        var doc = searcher.Find(id);
        if (doc < 0)
        {
            return null;
        }

        var stored = searcher.Document(doc);
        return new DocumentView(stored.Id, stored.Title, stored.Text, searcher.Vector(doc));
    });

    /// <summary>Encodes and writes documents (a re-added id replaces the old one); durable and searchable on return.</summary>
    public async Task<int> AddAsync(IReadOnlyList<DocumentInput> documents, CancellationToken cancellation)
    {
        var encoded = new ImpactDocument[documents.Count];
        Parallel.For(0, documents.Count, new ParallelOptions { CancellationToken = cancellation }, i => encoded[i] = Encode(documents[i], i));
        await WriteAsync(() =>
        {
            foreach (var document in encoded)
            {
                _writer.Add(document);
            }

            return true;
        });
        return encoded.Length;
    }

    /// <summary>Deletes a document; false when no live document has that id.</summary>
    public Task<bool> DeleteAsync(string id) => WriteAsync(() =>
    {
        if (WithSearcher(searcher => searcher.Find(id)) < 0)
        {
            return false;
        }

        _writer.Delete(id);
        return true;
    });

    public Task CommitAsync() => WriteAsync(() => true);

    public StatsResponse Stats() => WithSearcher(searcher =>
    {
        var reader = searcher.Reader;
        var bytes = new DirectoryInfo(_path).EnumerateFiles().Sum(f => f.Length);
        return new StatsResponse(reader.NumDocs, reader.NumDeletedDocs, reader.Leaves.Count, bytes, _manifest.Encoder,
            _manifest.Kind.ToString().ToLowerInvariant(), _manifest.QuantizationScale, _manifest.EncoderSettings, System.IO.Path.GetFullPath(_path));
    });

    /// <summary>Runs <paramref name="read"/> on the current near-real-time reader, released afterwards.</summary>
    private T WithSearcher<T>(Func<ImpactIndexSearcher, T> read)
    {
        var lucene = _searchers.Acquire();
        try
        {
            return read(ImpactIndexSearcher.Over(lucene.IndexReader, _manifest, _writer.Bounds));
        }
        finally
        {
            _searchers.Release(lucene);
        }
    }

    private ImpactDocument Encode(DocumentInput input, int position)
    {
        if (input.Vector is { } weights)
        {
            SparseVector vector;
            try
            {
                vector = new SparseVector(weights);
            }
            catch (ArgumentException e)
            {
                throw ProblemException.Invalid($"[{position}].vector", e.Message);
            }

            return new ImpactDocument(input.Id, input.Title ?? "", input.Text ?? "", _quantizer.Quantize(vector));
        }

        var encoder = _documentEncoder ?? throw new ProblemException(StatusCodes.Status422UnprocessableEntity, "Cannot encode text",
            $"index {_path} (encoder '{_manifest.Encoder}') cannot encode text documents here; send pre-encoded {{\"id\", \"vector\"}} documents", $"[{position}].text");
        var document = new CorpusDocument(input.Id, input.Title ?? "", input.Text ?? "");
        return new ImpactDocument(input.Id, document.Title, document.Text, _quantizer.Quantize(encoder.Encode(document)));
    }

    private async Task<T> WriteAsync<T>(Func<T> write)
    {
        await _writeLock.WaitAsync();
        try
        {
            var result = write();
            _writer.Commit();
            _writer.MaybeMerge();
            _manifest = _manifest with { DocumentCount = _writer.DocumentCount };
            _manifest.Write(_path);
            _searchers.MaybeRefreshBlocking();
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Null when only pre-encoded vectors can be added: a vectors index, or BM25 without recorded statistics.</summary>
    private static IDocumentEncoder? CreateDocumentEncoder(EncoderDefinition encoder, IndexManifest manifest) =>
        !encoder.EncodesDocuments || (encoder.NeedsCorpusStatistics && manifest.CorpusStatistics is null)
            ? null
            : encoder.CreateDocumentEncoder(manifest.CorpusStatistics);

    public void Dispose()
    {
        _refresh.Dispose();
        _writeLock.Wait();
        try
        {
            _writer.Commit();
            _searchers.Dispose();
            _writer.Dispose();
        }
        finally
        {
            _writeLock.Release();
            _writeLock.Dispose();
        }
    }
}
