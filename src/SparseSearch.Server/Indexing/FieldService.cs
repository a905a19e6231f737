using SparseSearch.Core;
using SparseSearch.Encoding;
using SparseSearch.Index;
using SparseSearch.Index.Chunking;
using SparseSearch.Index.Impact;
using SparseSearch.Index.Live;
using SparseSearch.Server.Api;

namespace SparseSearch.Server.Indexing;

/// <summary>One field's results for a query: the top hits described, how many documents match, and the query's weights.</summary>
/// <param name="ApproximateSegments">Segments searched approximately (0: the hits are exact).</param>
public sealed record FieldResults(IReadOnlyList<DetailedHit> Hits, long Total, bool Exact, SparseVector Vector, int ApproximateSegments = 0);

/// <summary>
/// One served <see cref="LiveIndex"/> (a whole index, or one field of a multi-field index): encodes requests with the
/// index's own encoder and shapes results into the API's contracts. The indexing layer below knows nothing of HTTP;
/// this is where its errors become problems. Disposing it commits and releases the index.
/// </summary>
public sealed class FieldService : IDisposable
{
    private readonly LiveIndex _index;
    private readonly EncoderDefinition _encoder;
    private readonly IDocumentEncoder? _documentEncoder;

    private FieldService(LiveIndex index, EncoderDefinition encoder)
    {
        _index = index;
        _encoder = encoder;
        _documentEncoder = CreateDocumentEncoder(encoder, index.Manifest);
        _sampleQueries = new Lazy<IReadOnlyList<string>>(() => ReadSampleQueries(index.Manifest));
    }

    private readonly Lazy<IReadOnlyList<string>> _sampleQueries;

    public IndexManifest Manifest => _index.Manifest;

    public string Path => _index.Path;

    /// <summary>Opens the index for serving: takes its writer lock (refused while another process holds it) and resolves its encoder.</summary>
    public static FieldService Open(string path, EncoderOptions options)
    {
        var index = LiveIndex.Open(path, $"sparse serve (pid {Environment.ProcessId})");
        try
        {
            return new FieldService(index, SearchEngines.ResolveEncoder(index.Manifest, path, options));
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <summary>The top <paramref name="count"/> hits described, with the total number of matches (exact, or a lower bound past <paramref name="countBudget"/> postings).</summary>
    /// <param name="firstPassages">A chunked index: only each document's first P chunks compete (null: all).</param>
    /// <param name="approximate">Approximate search where segments carry its structures (null: exact).</param>
    public FieldResults Search(string query, int count, bool explain, Index.Filters.SearchFilter? filter, int? firstPassages,
        Index.Approximate.ApproximateSearchSettings? approximate, long countBudget, CancellationToken cancellation) =>
        _index.Read(searcher => Search(searcher, _encoder.CreateQueryEncoder(searcher).Encode(query), count, explain, filter, firstPassages, approximate, countBudget,
            cancellation));

    /// <summary>As <see cref="Search(string, int, bool, Index.Filters.SearchFilter?, int?, Index.Approximate.ApproximateSearchSettings?, long, CancellationToken)"/>, for a query already weighted (a cluster's shard).</summary>
    /// <param name="maxImpacts">The query terms' largest impacts over the whole cluster, so exact sums compare across shards.</param>
    public FieldResults Search(SparseVector vector, int count, bool explain, Index.Filters.SearchFilter? filter, int? firstPassages,
        Index.Approximate.ApproximateSearchSettings? approximate, long countBudget, IReadOnlyDictionary<string, int> maxImpacts, CancellationToken cancellation) =>
        _index.Read(searcher => Search(searcher, vector, count, explain, filter, firstPassages, approximate, countBudget, cancellation, maxImpacts));

    /// <summary>
    /// The documents in this index (Lucene's maxDoc, as idf counts them) and the document frequency of each term the
    /// encoder's analysis makes of <paramref name="query"/>: one shard's part of a cluster's query statistics.
    /// </summary>
    public (long DocumentCount, Dictionary<string, long> DocFreqs, Dictionary<string, int> MaxImpacts) TermStatistics(string query) => _index.Read(searcher =>
    {
        var frequencies = new Dictionary<string, long>(StringComparer.Ordinal);
        var impacts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var term in _encoder.Analyzer.Terms(query))
        {
            if (frequencies.TryAdd(term, searcher.DocFreq(term)))
            {
                impacts[term] = searcher.MaxImpact(term);
            }
        }

        return (searcher.DocumentCount, frequencies, impacts);
    });

    /// <summary>Each term's largest impact in this index (0: absent): a shard's part of a query plan's fixed-point step.</summary>
    public Dictionary<string, int> MaxImpacts(IEnumerable<string> terms) =>
        _index.Read(searcher => terms.Distinct(StringComparer.Ordinal).ToDictionary(t => t, searcher.MaxImpact, StringComparer.Ordinal));

    /// <summary>The query weighted by this index's encoder with statistics given from outside (a cluster's, summed over shards).</summary>
    public SparseVector EncodeQuery(string query, ITermStatistics statistics) => _encoder.CreateQueryEncoder(statistics).Encode(query);

    private FieldResults Search(ImpactIndexSearcher searcher, SparseVector vector, int count, bool explain, Index.Filters.SearchFilter? filter, int? firstPassages,
        Index.Approximate.ApproximateSearchSettings? approximate, long countBudget, CancellationToken cancellation, IReadOnlyDictionary<string, int>? maxImpacts = null)
    {
        var top = DocumentSearch.Top(searcher, vector, count, Index.Impact.TopK.TopKAlgorithm.BlockMaxScore, filter, firstPassages, cancellation, approximate,
            maxImpacts);
        var hits = DocumentSearch.Describe(searcher, _encoder.Analyzer, vector, top, explain);
        // A chunked index counts chunks, not documents: its total is the documents found, a lower bound unless the search ran dry.
        var (total, exact) = _index.Manifest.Chunking is null
            ? searcher.CountMatches(vector, countBudget, top.Count, filter)
            : (top.Count, top.Count < count);
        return new FieldResults(hits, total, exact, vector, approximate is null ? 0 : searcher.ApproximateSegmentCount);
    }

    /// <summary>Live documents in index order, a page at a time.</summary>
    public DocumentPage List(long from, int size) => _index.Read(searcher =>
        new DocumentPage(searcher.ListDocuments(from, size).Select(d => new DocumentSummary(Chunked ? ChunkIds.Parent(d.Id) : d.Id, d.Title)).ToArray(),
            Documents(searcher), from, size));

    /// <summary>Live documents (a chunked index's documents, not its chunks).</summary>
    public long DocumentCount => _index.Read(Documents);

    private long Documents(ImpactIndexSearcher searcher) => Chunked ? ChunkedDocuments.Count(searcher.Reader) : searcher.LiveDocumentCount;

    private bool Chunked => _index.Manifest.Chunking is not null;

    /// <summary>A stored document with its whole vector (read term by term from the postings: for inspection, not bulk use).</summary>
    public DocumentView? Get(string id) => _index.Read(searcher =>
    {
        var doc = searcher.Find(Chunked ? ChunkIds.Of(id, 0) : id);
        if (doc < 0)
        {
            return null;
        }

        // A chunked document shows its first chunk's vector; its title, text and metadata are the document's.
        var stored = searcher.Document(doc);
        return new DocumentView(id, stored.Title, stored.Text, searcher.Vector(doc)) { Metadata = Json(stored.Metadata) };
    });

    public static System.Text.Json.JsonElement? Json(string? stored) =>
        stored is null ? null : System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement>(stored);

    /// <summary>Encodes documents as this index holds them (throws a problem naming the first bad one); nothing is written.</summary>
    public ImpactDocument[][] Encode(IReadOnlyList<DocumentInput> documents, CancellationToken cancellation)
    {
        // Sequential validation first, so the problem names the first bad document and never arrives wrapped.
        for (var i = 0; i < documents.Count; i++)
        {
            if (documents[i].Vector is null && _documentEncoder is null)
            {
                throw new ProblemException(StatusCodes.Status422UnprocessableEntity, "Cannot encode text",
                    $"index {_index.Path} (encoder '{_index.Manifest.Encoder}') cannot encode text documents here; send pre-encoded {{\"id\", \"vector\"}} documents", $"[{i}].text");
            }
        }

        var encoded = new ImpactDocument[documents.Count][];
        try
        {
            Parallel.For(0, documents.Count, new ParallelOptions { CancellationToken = cancellation }, i => encoded[i] = Encode(documents[i], i));
        }
        catch (AggregateException e) when (e.InnerExceptions.OfType<ProblemException>().FirstOrDefault() is { } problem)
        {
            throw problem;
        }

        return encoded;
    }

    /// <summary>Writes encoded documents (a re-added id replaces the old one atomically); durable and searchable on return.</summary>
    public Task WriteAsync(ImpactDocument[][] encoded) => _index.AddAsync(encoded.SelectMany(e => e).ToArray());

    public Task<bool> DeleteAsync(string id) => _index.DeleteAsync(id);

    public Task CommitAsync() => _index.CommitAsync();

    public long IndexBytes => new DirectoryInfo(_index.Path).EnumerateFiles().Sum(f => f.Length);

    public StatsResponse Stats() => _index.Read(searcher =>
    {
        var reader = searcher.Reader;
        var bytes = IndexBytes;
        var manifest = _index.Manifest;
        var path = System.IO.Path.GetFullPath(_index.Path);
        var documents = Documents(searcher);
        return new StatsResponse(System.IO.Path.GetFileName(path.TrimEnd('/')), documents, reader.NumDeletedDocs, reader.Leaves.Count, bytes, manifest.Encoder,
            manifest.Kind.ToString().ToLowerInvariant(), manifest.QuantizationScale, manifest.EncoderSettings, path, _sampleQueries.Value);
    });

    /// <summary>
    /// A few queries to offer a first-time user: the first ones of the queries.jsonl beside the corpus the index was
    /// built from, when it is there.
    /// </summary>
    private static IReadOnlyList<string> ReadSampleQueries(IndexManifest manifest)
    {
        try
        {
            var queries = manifest.Source is { } source ? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(source) ?? "", "queries.jsonl") : null;
            return queries is not null && File.Exists(queries) ? Evaluation.Beir.BeirQueries.Load(queries).Take(5).Select(q => q.Text).ToArray() : [];
        }
        catch (SparseSearchException)
        {
            return [];
        }
    }

    /// <summary>The document as the index holds it: one entry, or its chunks when the index is chunked (as its build split them).</summary>
    private ImpactDocument[] Encode(DocumentInput input, int position)
    {
        try
        {
            if (input.Vector is { } weights)
            {
                if (Chunked)
                {
                    throw new ProblemException(StatusCodes.Status422UnprocessableEntity, "Cannot chunk a vector",
                        $"index {_index.Path} splits documents into chunks; send text to encode, not a pre-encoded vector", $"[{position}].vector");
                }

                return [new ImpactDocument(input.Id, input.Title ?? "", input.Text ?? "", _index.Quantizer.Quantize(new SparseVector(weights))) { Metadata = input.ParsedMetadata }];
            }

            var document = new CorpusDocument(input.Id, input.Title ?? "", input.Text ?? "") { Metadata = input.ParsedMetadata };
            if (_index.Manifest.Chunking is { } chunking)
            {
                return chunking.Split(document, _encoder).Select(part =>
                    IndexBuilder.Chunk(part, _index.Quantizer.Quantize(_documentEncoder!.Encode(part.Document)), new IndexBuildOptions())).ToArray();
            }

            return [new ImpactDocument(input.Id, document.Title, document.Text, _index.Quantizer.Quantize(_documentEncoder!.Encode(document))) { Metadata = input.ParsedMetadata }];
        }
        catch (Exception e) when (e is ArgumentException or SparseSearchException)
        {
            throw ProblemException.Invalid(input.Vector is null ? $"[{position}].text" : $"[{position}].vector", e.Message);
        }
    }

    /// <summary>Null when only pre-encoded vectors can be added: a vectors index, or BM25 without recorded statistics.</summary>
    private static IDocumentEncoder? CreateDocumentEncoder(EncoderDefinition encoder, IndexManifest manifest) =>
        !encoder.EncodesDocuments || (encoder.NeedsCorpusStatistics && manifest.CorpusStatistics is null)
            ? null
            : encoder.CreateDocumentEncoder(manifest.CorpusStatistics);

    public void Dispose()
    {
        try
        {
            _index.Dispose();
        }
        finally
        {
            _encoder.Dispose();
        }
    }
}
