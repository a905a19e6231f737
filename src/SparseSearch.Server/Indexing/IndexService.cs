using System.Diagnostics;
using SparseSearch.Core;
using SparseSearch.Encoding;
using SparseSearch.Index;
using SparseSearch.Index.Impact;
using SparseSearch.Index.MultiField;
using SparseSearch.Server.Api;

namespace SparseSearch.Server.Indexing;

/// <summary>
/// What the service serves: one index, or the fields of a multi-field index (<see cref="FieldsManifest"/>), each a
/// <see cref="FieldService"/>. A query over several fields runs on each and fuses their rankings
/// (<see cref="FieldFusion"/>); a document is encoded for every field before any is written, then written field by
/// field and acknowledged once every field has committed it. Owned by the host: disposing it commits and releases
/// every field.
/// </summary>
public sealed class IndexService : ISearchBackend
{
    private readonly IReadOnlyList<(string Name, FieldService Service)> _fields;
    private readonly string _path;

    private IndexService(string path, IReadOnlyList<(string, FieldService)> fields)
    {
        _path = path;
        _fields = fields;
    }

    /// <summary>The first field's manifest (the only one of a single index).</summary>
    public IndexManifest Manifest => _fields[0].Service.Manifest;

    public IReadOnlyList<string> FieldNames => _fields.Select(f => f.Name).ToArray();

    public static IndexService Open(string path, EncoderOptions options)
    {
        if (!FieldsManifest.ExistsIn(path))
        {
            return new IndexService(path, [("", FieldService.Open(path, options))]);
        }

        var fields = new List<(string, FieldService)>();
        try
        {
            foreach (var name in FieldsManifest.Read(path).Fields)
            {
                fields.Add((name, FieldService.Open(FieldsManifest.FieldPath(path, name), options)));
            }

            return new IndexService(path, fields);
        }
        catch
        {
            fields.ForEach(f => f.Item2.Dispose());
            throw;
        }
    }

    /// <summary>
    /// Hits from + 1 to from + k. One field: with the total number of matches (exact, or a lower bound past
    /// <paramref name="countBudget"/> postings). Several: each field's top max(from + k, rank window) fused; the total
    /// is the fused documents, exact only when no field filled its window.
    /// </summary>
    public SearchResponse Search(string query, int from, int k, bool explain, Index.Filters.SearchFilter? filter, FusionSettings? fusion, int? firstPassages,
        Index.Approximate.ApproximateSearchSettings? approximate, long countBudget, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var searched = Searched(fusion?.Fields);
        if (firstPassages is not null && searched.All(f => f.Service.Manifest.Chunking is null))
        {
            throw ProblemException.Invalid("first_passages", "'first_passages' applies to chunked indexes (built with --chunk-tokens); this one holds whole documents");
        }

        if (searched.Count == 1)
        {
            var results = searched[0].Service.Search(query, from + k, explain, filter, firstPassages, approximate, countBudget, cancellation);
            return new SearchResponse(results.Hits.Skip(from).Select(ToSearchHit).ToArray(), new TotalHits(results.Total, results.Exact ? "eq" : "gte"),
                from, k, clock.Elapsed.TotalMilliseconds, Terms([results.Vector]))
            {
                Approximate = approximate is null ? null : ApproximateRequest.Describe(approximate, results.ApproximateSegments),
            };
        }

        var settings = fusion ?? new FusionSettings();
        var window = Math.Max(from + k, settings.RankWindow);
        var perField = searched.Select(f => (f.Name, Results: f.Service.Search(query, window, explain, filter, firstPassages, approximate, 0, cancellation))).ToArray();
        var fused = FieldFusion.Describe(perField.Select(f => (f.Name, f.Results.Hits)).ToArray(), settings, from + k, explain);
        var exact = perField.All(f => f.Results.Hits.Count < window);
        return new SearchResponse(fused.Skip(from).Select(ToSearchHit).ToArray(), new TotalHits(fused.Count, exact ? "eq" : "gte"), from, k,
            clock.Elapsed.TotalMilliseconds, Terms(perField.Select(f => f.Results.Vector)))
        {
            Approximate = approximate is null ? null : ApproximateRequest.Describe(approximate, perField.Sum(f => f.Results.ApproximateSegments)),
        };
    }

    private List<(string Name, FieldService Service)> Searched(IReadOnlyList<string>? names)
    {
        if (names is null)
        {
            return [.. _fields];
        }

        return names.Select(name => _fields.FirstOrDefault(f => f.Name == name) is { Service: not null } field
            ? field
            : throw ProblemException.Invalid("fields", _fields.Count == 1
                ? "this index has one field; 'fields' applies to multi-field indexes"
                : $"no field '{name}'; the index's fields are {string.Join(", ", FieldNames)}")).ToList();
    }

    private static SearchHit ToSearchHit(DetailedHit hit) =>
        new(hit.Id, hit.Score, hit.Title, hit.Snippet.Text, hit.Snippet.Highlights.Select(s => new Highlight(s.Start, s.Length)).ToArray(),
            hit.Matches?.Select(c => new MatchedTerm(c.Term, c.QueryWeight, c.DocumentWeight, c.Contribution)).ToArray())
        {
            Metadata = FieldService.Json(hit.Metadata),
            Passage = hit.Passage,
            Fields = hit.FieldContributions?.Select(f => new FieldScore(f.Field, f.Rank, f.Score, f.Normalized, f.Contribution)).ToArray(),
        };

    /// <summary>The query's terms, heaviest first; over several fields, each term at its largest weight.</summary>
    private static QueryTerm[] Terms(IEnumerable<SparseVector> vectors) => vectors
        .SelectMany(v => v.Weights)
        .GroupBy(w => w.Key, StringComparer.Ordinal)
        .Select(g => new QueryTerm(g.Key, g.Max(w => w.Value)))
        .OrderByDescending(t => t.Weight).ThenBy(t => t.Term, StringComparer.Ordinal)
        .ToArray();

    public DocumentPage List(long from, int size) => _fields[0].Service.List(from, size);

    public DocumentView? Get(string id) => _fields[0].Service.Get(id);

    public Task<SearchResponse> SearchAsync(SearchQuery query, CancellationToken cancellation) => Task.FromResult(Search(query.Query, query.From, query.K,
        query.Explain, query.Filter, query.Fusion, query.FirstPassages, query.Approximate, query.CountBudget, cancellation));

    public Task<DocumentPage> ListAsync(long from, int size, CancellationToken cancellation) => Task.FromResult(List(from, size));

    public Task<DocumentView?> GetAsync(string id, CancellationToken cancellation) => Task.FromResult(Get(id));

    public Task<bool> DeleteAsync(string id, CancellationToken cancellation) => DeleteAsync(id);

    public Task CommitAsync(CancellationToken cancellation) => CommitAsync();

    public Task<StatsResponse> StatsAsync(CancellationToken cancellation) => Task.FromResult(Stats());

    /// <summary>Every field encodes every document first (a bad one fails the request before anything is written), then each field writes and commits.</summary>
    public async Task<int> AddAsync(IReadOnlyList<DocumentInput> documents, CancellationToken cancellation)
    {
        if (_fields.Count > 1 && documents.Select((d, i) => (d, i)).FirstOrDefault(e => e.d.Vector is not null) is { d: not null } withVector)
        {
            throw new ProblemException(StatusCodes.Status422UnprocessableEntity, "Cannot take a vector",
                $"index {_path} has fields {string.Join(", ", FieldNames)}, each with its own encoder; send text, not a pre-encoded vector", $"[{withVector.i}].vector");
        }

        var encoded = _fields.Select(f => f.Service.Encode(documents, cancellation)).ToArray();
        for (var f = 0; f < _fields.Count; f++)
        {
            await _fields[f].Service.WriteAsync(encoded[f]);
        }

        return documents.Count;
    }

    public async Task<bool> DeleteAsync(string id)
    {
        var deleted = false;
        foreach (var (_, field) in _fields)
        {
            deleted |= await field.DeleteAsync(id);
        }

        return deleted;
    }

    public async Task CommitAsync()
    {
        foreach (var (_, field) in _fields)
        {
            await field.CommitAsync();
        }
    }

    public StatsResponse Stats()
    {
        var stats = _fields[0].Service.Stats();
        if (_fields.Count == 1)
        {
            return stats;
        }

        var path = System.IO.Path.GetFullPath(_path);
        return stats with
        {
            Name = System.IO.Path.GetFileName(path.TrimEnd('/')),
            Path = path,
            Encoder = string.Join("+", FieldNames),
            IndexBytes = _fields.Sum(f => f.Service.IndexBytes),
            Fields = FieldNames,
        };
    }

    public void Dispose()
    {
        foreach (var (_, field) in _fields)
        {
            field.Dispose();
        }
    }
}
