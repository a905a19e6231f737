using System.Text.Json;
using Orleans.Concurrency;
using Orleans.Placement;
using SparseSearch.Core;
using SparseSearch.Index.Approximate;
using SparseSearch.Index.Filters;
using SparseSearch.Index.Sharding;
using SparseSearch.Server.Api;
using SparseSearch.Server.Indexing;

namespace SparseSearch.Cluster;

/// <summary>
/// A shard served: opens <c>DIR/shard-&lt;key&gt;</c> as one node serves an index (its writer lock, its encoder) and
/// answers the front end. Reentrant, and each call's work runs on the thread pool, so searches of one shard run in
/// parallel as they do on one node; writes are serialized by the index itself. Kept alive: closing and reopening an
/// index costs more than holding it. Placed by a hash of the shard number over the live silos, so shards spread over
/// the silos (the default placement put all four test shards on the first silo asked) and move when one dies.
/// </summary>
[Reentrant]
[KeepAlive]
[HashBasedPlacement]
public sealed class ShardGrain(ShardHostOptions options, ILogger<ShardGrain> logger) : Grain, IShardGrain
{
    private FieldService? _shard;
    private ClusterManifest? _cluster;

    private FieldService Shard => _shard ?? throw new InvalidOperationException("the shard is not open");

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var shard = (int)this.GetPrimaryKeyLong();
        _cluster = ClusterManifest.Read(options.IndexPath);
        if (shard < 0 || shard >= _cluster.Shards)
        {
            throw new InvalidSettingException($"{options.IndexPath} has {_cluster.Shards} shards; there is no shard {shard}");
        }

        var path = ClusterManifest.ShardPath(options.IndexPath, shard);
        _shard = FieldService.Open(path, options.EncoderOptions);
        logger.LogInformation("Shard {Shard} opened from {Path} ({Documents} documents)", shard, path, _shard.Manifest.DocumentCount);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Commits and releases the writer lock, so another silo can take the shard over.
        _shard?.Dispose();
        _shard = null;
        return Task.CompletedTask;
    }

    public Task<ClusterDescription> Describe() =>
        Task.FromResult(new ClusterDescription { Shards = _cluster!.Shards, Encoder = _cluster.Encoder });

    public Task<ShardTermStatistics> TermStatistics(string query) => Task.Run(() =>
    {
        var (documents, frequencies, impacts) = Shard.TermStatistics(query);
        return new ShardTermStatistics { DocumentCount = documents, DocFreqs = frequencies, MaxImpacts = impacts };
    });

    public Task<Dictionary<string, int>> MaxImpacts(string[] terms) => Task.Run(() => Shard.MaxImpacts(terms));

    public Task<Dictionary<string, float>> EncodeQuery(string query, long documentCount, Dictionary<string, long> docFreqs) =>
        Task.Run(() => Shard.EncodeQuery(query, new GivenTermStatistics(documentCount, docFreqs)).Weights.ToDictionary(StringComparer.Ordinal));

    public Task<ShardSearchResult> Search(ShardSearchRequest request) => Task.Run(() =>
    {
        try
        {
            var filter = request.FilterJson is null ? null : FilterParser.Parse(request.FilterJson);
            var approximate = request.Approximate
                ? new ApproximateSearchSettings { QueryTerms = request.ApproximateQueryTerms, Candidates = request.ApproximateCandidates }
                : null;
            var results = Shard.Search(new SparseVector(request.Vector), request.Count, request.Explain, filter, request.FirstPassages, approximate,
                request.CountBudget, request.MaxImpacts, CancellationToken.None);
            return new ShardSearchResult
            {
                Hits = results.Hits.Select(ToShardHit).ToArray(),
                Total = results.Total,
                Exact = results.Exact,
                ApproximateSegments = results.ApproximateSegments,
            };
        }
        catch (Exception e) when (Problem(e) is { } problem)
        {
            return new ShardSearchResult { Problem = problem };
        }
    });

    private static ShardHit ToShardHit(Index.Impact.DetailedHit hit) => new()
    {
        Id = hit.Id,
        Score = hit.Score,
        // A document written through the service has no corpus position: it ties after the built ones, as it would on one node.
        Sequence = hit.Sequence ?? long.MaxValue,
        Title = hit.Title,
        Snippet = hit.Snippet.Text,
        Highlights = hit.Snippet.Highlights.SelectMany(h => new[] { h.Start, h.Length }).ToArray(),
        Matches = hit.Matches?.Select(m => new ShardTermMatch { Term = m.Term, QueryWeight = m.QueryWeight, DocumentWeight = m.DocumentWeight, Contribution = m.Contribution })
            .ToArray(),
        Metadata = hit.Metadata,
        Passage = hit.Passage,
        ExactSum = hit.ExactSum ?? throw new InvalidOperationException("a shard's search keeps exact score sums"),
    };

    public async Task<ShardProblem?> Add(ShardDocument[] documents)
    {
        try
        {
            var inputs = documents.Select(d => new DocumentInput(d.Id, d.Title, d.Text, d.Vector)
            {
                ParsedMetadata = d.MetadataJson is null ? null : DocumentMetadata.FromJson(JsonDocument.Parse(d.MetadataJson).RootElement),
            }).ToArray();
            var encoded = await Task.Run(() => Shard.Encode(inputs, CancellationToken.None));
            await Shard.WriteAsync(encoded);
            return null;
        }
        catch (ProblemException e)
        {
            // The shard numbers documents within its own batch; the client numbered them in its request.
            return Problem(e) is { } problem ? problem with { Field = Renumber(problem.Field, documents) } : null;
        }
    }

    /// <summary>"[3].text" in the shard's batch becomes the document's position in the client's request.</summary>
    private static string? Renumber(string? field, ShardDocument[] documents)
    {
        var close = field?.IndexOf(']') ?? -1;
        if (field is null || !field.StartsWith('[') || close < 0 || !int.TryParse(field[1..close], out var index) || index < 0 || index >= documents.Length)
        {
            return field;
        }

        return $"[{documents[index].Position}]{field[(close + 1)..]}";
    }

    public Task<bool> Delete(string id) => Shard.DeleteAsync(id);

    public Task Commit() => Shard.CommitAsync();

    public Task<ShardDocumentView?> Get(string id) => Task.Run(() => Shard.Get(id) is { } document
        ? new ShardDocumentView
        {
            Id = document.Id,
            Title = document.Title,
            Text = document.Text,
            Vector = document.Vector.ToDictionary(StringComparer.Ordinal),
            MetadataJson = document.Metadata?.GetRawText(),
        }
        : null);

    public Task<ShardDocumentPage> List(long from, int size) => Task.Run(() =>
    {
        var page = Shard.List(from, size);
        return new ShardDocumentPage { Ids = page.Documents.Select(d => d.Id).ToArray(), Titles = page.Documents.Select(d => d.Title).ToArray(), Total = page.Total };
    });

    public Task<long> DocumentCount() => Task.Run(() => Shard.DocumentCount);

    public Task<ShardStats> Stats() => Task.Run(() =>
    {
        var stats = Shard.Stats();
        return new ShardStats
        {
            Documents = stats.Documents,
            DeletedDocuments = stats.DeletedDocuments,
            Segments = stats.Segments,
            IndexBytes = stats.IndexBytes,
            Encoder = stats.Encoder,
            Kind = stats.Kind,
            QuantizationScale = stats.QuantizationScale,
            EncoderSettings = stats.EncoderSettings.ToDictionary(StringComparer.Ordinal),
            Path = stats.Path,
            SampleQueries = stats.SampleQueries.ToArray(),
            Silo = RuntimeIdentity,
            ProcessId = Environment.ProcessId,
        };
    });

    /// <summary>The refusals a client should see as they are (bad filter, bad document), not as a failed shard.</summary>
    private static ShardProblem? Problem(Exception e) => e switch
    {
        ProblemException p => new ShardProblem { Status = p.Status, Title = p.Title, Detail = p.Message, Field = p.Field },
        InvalidFilterException f => new ShardProblem { Status = 400, Title = "Invalid request", Detail = f.Reason, Field = f.Path },
        SparseSearchException s => new ShardProblem { Status = 400, Title = "Invalid request", Detail = s.Message },
        _ => null,
    };
}
