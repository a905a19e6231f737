using System.Diagnostics;
using System.Text.Json;
using SparseSearch.Index.Sharding;
using SparseSearch.Server.Api;
using SparseSearch.Server.Indexing;

namespace SparseSearch.Cluster;

/// <summary>
/// The HTTP API over a cluster (query-then-fetch, as Elasticsearch's <c>dfs_query_then_fetch</c>): a search first
/// gathers the query terms' document frequencies from every shard, has one shard weigh the query against those
/// cluster-wide statistics, sends the weighted query to every shard and merges their exact top hits. So a cluster
/// answers what one node holding the same corpus answers. Writes go to the shard that owns each id and are
/// acknowledged once that shard has committed them.
/// </summary>
public sealed class ClusterSearchBackend(IClusterClient client, ClusterFrontOptions options, ILogger<ClusterSearchBackend> logger) : ISearchBackend
{
    private ClusterDescription? _description;

    private IShardGrain ShardGrain(int shard) => client.GetGrain<IShardGrain>(shard);

    private async Task<int> ShardCountAsync(CancellationToken cancellation)
    {
        if (_description is { } known)
        {
            return known.Shards;
        }

        // Any silo can activate shard 0; until one has joined, the cluster cannot answer.
        var description = (await Call(0, g => g.Describe(), cancellation)).Value
            ?? throw Unavailable("no silo answers for shard 0 yet; start silos with sparse silo --index DIR --membership ...");
        _description = description;
        return description.Shards;
    }

    public async Task<SearchResponse> SearchAsync(SearchQuery query, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        if (query.Fusion?.Fields is not null)
        {
            throw ProblemException.Invalid("fields", "a cluster serves one field per shard; 'fields' applies to multi-field indexes on one node");
        }

        var shards = await ShardCountAsync(cancellation);
        var failed = new bool[shards];

        // 1. Statistics: the query terms' document frequencies, summed over the shards that answer.
        var statistics = await Scatter(shards, failed, g => g.TermStatistics(query.Query), cancellation);
        RefuseIfIncomplete(query, failed);
        var documents = statistics.Sum(s => s?.DocumentCount ?? 0);
        var frequencies = new Dictionary<string, long>(StringComparer.Ordinal);
        var impacts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var part in statistics.OfType<ShardTermStatistics>())
        {
            foreach (var (term, df) in part.DocFreqs)
            {
                frequencies[term] = frequencies.GetValueOrDefault(term) + df;
            }

            MaxInto(impacts, part.MaxImpacts);
        }

        // 2. One shard weighs the query (a model's query encoder runs once, not once per shard); the next one if it
        // went away since answering the statistics.
        Dictionary<string, float>? vector = null;
        for (var weigher = 0; weigher < shards && vector is null; weigher++)
        {
            if (!failed[weigher])
            {
                var (weighed, weights) = await Call(weigher, g => g.EncodeQuery(query.Query, documents, frequencies), cancellation);
                failed[weigher] = !weighed;
                vector = weights;
            }
        }

        RefuseIfIncomplete(query, failed);
        if (vector is null)
        {
            throw Unavailable("no shard answered while weighing the query; retry");
        }

        // A model's query may add terms the analysis did not make: their largest impacts too, before any shard scores.
        if (vector.Keys.Where(t => !impacts.ContainsKey(t)).ToArray() is { Length: > 0 } added)
        {
            await GatherMaxImpacts(shards, failed, added, impacts, cancellation);
            RefuseIfIncomplete(query, failed);
        }

        // 3. Every shard's exact top from + k for that query, merged.
        var request = new ShardSearchRequest
        {
            Vector = vector,
            Count = query.From + query.K,
            Explain = query.Explain,
            FilterJson = query.FilterJson,
            FirstPassages = query.FirstPassages,
            Approximate = query.Approximate is not null,
            ApproximateQueryTerms = query.Approximate?.QueryTerms ?? 0,
            ApproximateCandidates = query.Approximate?.Candidates ?? 0,
            CountBudget = query.CountBudget,
            MaxImpacts = impacts,
        };
        var answered = await SearchShards(shards, failed, request, cancellation);
        RefuseIfIncomplete(query, failed);
        var hits = ShardHitMerge.Top(answered.Select(r => (IReadOnlyList<ShardHit>)r.Hits), query.From + query.K).Skip(query.From).Select(ToSearchHit).ToArray();
        var failures = failed.Count(f => f);
        var exact = failures == 0 && answered.All(r => r.Exact);
        return new SearchResponse(hits, new TotalHits(answered.Sum(r => r.Total), exact ? "eq" : "gte"), query.From, query.K, clock.Elapsed.TotalMilliseconds,
            vector.OrderByDescending(w => w.Value).ThenBy(w => w.Key, StringComparer.Ordinal).Select(w => new QueryTerm(w.Key, w.Value)).ToArray())
        {
            Approximate = query.Approximate is null ? null : ApproximateRequest.Describe(query.Approximate, answered.Sum(r => r.ApproximateSegments)),
            Shards = new ShardsAnswered(shards, shards - failures, failures),
            Partial = failures > 0,
        };
    }

    /// <summary>
    /// A query already weighted (pre-encoded, as the bench's are): the terms' largest impacts from every shard, then
    /// every shard's exact top <paramref name="count"/>, merged. Two round trips.
    /// </summary>
    public async Task<ClusterHits> SearchVectorAsync(Dictionary<string, float> vector, int count, CancellationToken cancellation)
    {
        var shards = await ShardCountAsync(cancellation);
        var failed = new bool[shards];
        var impacts = new Dictionary<string, int>(StringComparer.Ordinal);
        await GatherMaxImpacts(shards, failed, vector.Keys.ToArray(), impacts, cancellation);
        var results = await SearchShards(shards, failed, new ShardSearchRequest { Vector = vector, Count = count, MaxImpacts = impacts }, cancellation);
        return new ClusterHits(ShardHitMerge.Top(results.Select(r => (IReadOnlyList<ShardHit>)r.Hits), count), shards, failed.Count(f => f));
    }

    /// <summary>The terms' largest impacts over the shards that answer, folded into <paramref name="impacts"/>.</summary>
    private async Task GatherMaxImpacts(int shards, bool[] failed, string[] terms, Dictionary<string, int> impacts, CancellationToken cancellation)
    {
        foreach (var part in (await Scatter(shards, failed, g => g.MaxImpacts(terms), cancellation)).OfType<Dictionary<string, int>>())
        {
            MaxInto(impacts, part);
        }
    }

    /// <summary>Every shard's exact top for the request; a shard's refusal (a bad filter) becomes the client's problem.</summary>
    private async Task<ShardSearchResult[]> SearchShards(int shards, bool[] failed, ShardSearchRequest request, CancellationToken cancellation)
    {
        var results = await Scatter(shards, failed, g => g.Search(request), cancellation);
        if (results.Select(r => r?.Problem).OfType<ShardProblem>().FirstOrDefault() is { } problem)
        {
            throw new ProblemException(problem.Status, problem.Title, problem.Detail, problem.Field);
        }

        return results.OfType<ShardSearchResult>().ToArray();
    }

    private static void MaxInto(Dictionary<string, int> impacts, Dictionary<string, int> part)
    {
        foreach (var (term, impact) in part)
        {
            impacts[term] = Math.Max(impacts.GetValueOrDefault(term), impact);
        }
    }

    private static void RefuseIfIncomplete(SearchQuery query, bool[] failed)
    {
        if (failed.All(f => f))
        {
            throw Unavailable("no shard answered; is any silo running?");
        }

        if (!query.AllowPartial && failed.Any(f => f))
        {
            throw Unavailable($"shard(s) {string.Join(", ", failed.Select((f, i) => (f, i)).Where(s => s.f).Select(s => s.i))} did not answer and allow_partial is false; retry, or allow partial results");
        }
    }

    private static SearchHit ToSearchHit(ShardHit hit) =>
        new(hit.Id, hit.Score, hit.Title, hit.Snippet, hit.Highlights.Chunk(2).Select(h => new Highlight(h[0], h[1])).ToArray(),
            hit.Matches?.Select(m => new MatchedTerm(m.Term, m.QueryWeight, m.DocumentWeight, m.Contribution)).ToArray())
        {
            Metadata = hit.Metadata is null ? null : JsonSerializer.Deserialize<JsonElement>(hit.Metadata),
            Passage = hit.Passage,
        };

    public async Task<DocumentPage> ListAsync(long from, int size, CancellationToken cancellation)
    {
        // Documents in shard order, then each shard's own order: the counts place a page in the right shards.
        var shards = await ShardCountAsync(cancellation);
        var failed = new bool[shards];
        var counts = await Scatter(shards, failed, g => g.DocumentCount(), cancellation);
        if (failed.Any(f => f))
        {
            throw Unavailable("a shard did not answer; the document list needs every shard");
        }

        var page = new List<DocumentSummary>(size);
        long start = 0;
        for (var shard = 0; shard < shards && page.Count < size; shard++)
        {
            var count = counts[shard];
            if (from + page.Count < start + count)
            {
                var within = from + page.Count - start;
                var part = (await Call(shard, g => g.List(within, size - page.Count), cancellation)).Value ?? throw Unavailable($"shard {shard} did not answer");
                page.AddRange(part.Ids.Zip(part.Titles, (id, title) => new DocumentSummary(id, title)));
            }

            start += count;
        }

        return new DocumentPage(page, counts.Sum(), from, size);
    }

    public async Task<DocumentView?> GetAsync(string id, CancellationToken cancellation)
    {
        var shard = ShardRouting.ShardOf(id, await ShardCountAsync(cancellation));
        var (answered, document) = await Call(shard, g => g.Get(id), cancellation);
        if (!answered)
        {
            throw Unavailable($"shard {shard}, which holds '{id}', did not answer; retry");
        }

        return document is null ? null : new DocumentView(document.Id, document.Title, document.Text, document.Vector)
        {
            Metadata = document.MetadataJson is null ? null : JsonSerializer.Deserialize<JsonElement>(document.MetadataJson),
        };
    }

    public async Task<int> AddAsync(IReadOnlyList<DocumentInput> documents, CancellationToken cancellation)
    {
        var shards = await ShardCountAsync(cancellation);
        var batches = documents
            .Select((d, position) => new ShardDocument
            {
                Id = d.Id,
                Title = d.Title,
                Text = d.Text,
                Vector = d.Vector?.ToDictionary(StringComparer.Ordinal),
                MetadataJson = d.ParsedMetadata?.Json,
                Position = position,
            })
            .GroupBy(d => ShardRouting.ShardOf(d.Id, shards))
            .ToArray();
        // Each shard commits its part before answering; the request is acknowledged only when every part is.
        var outcomes = await Task.WhenAll(batches.Select(async batch =>
        {
            var (answered, problem) = await Call(batch.Key, g => g.Add(batch.ToArray()), cancellation);
            return (Shard: batch.Key, Answered: answered, Problem: problem);
        }));
        if (outcomes.FirstOrDefault(o => o.Problem is not null).Problem is { } problem)
        {
            throw new ProblemException(problem.Status, problem.Title, problem.Detail, problem.Field);
        }

        if (outcomes.Where(o => !o.Answered).Select(o => o.Shard).ToArray() is { Length: > 0 } missing)
        {
            throw Unavailable($"shard(s) {string.Join(", ", missing)} did not acknowledge their documents; nothing is acknowledged: resend the request (a re-added id replaces itself)");
        }

        return documents.Count;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellation)
    {
        var shard = ShardRouting.ShardOf(id, await ShardCountAsync(cancellation));
        var (answered, deleted) = await Call(shard, g => g.Delete(id), cancellation);
        return answered ? deleted : throw Unavailable($"shard {shard}, which holds '{id}', did not answer; the delete is not acknowledged: retry");
    }

    public async Task CommitAsync(CancellationToken cancellation)
    {
        var shards = await ShardCountAsync(cancellation);
        var failed = new bool[shards];
        await Scatter(shards, failed, async g =>
        {
            await g.Commit();
            return true;
        }, cancellation);
        if (failed.Any(f => f))
        {
            throw Unavailable("a shard did not answer the commit; retry");
        }
    }

    public async Task<StatsResponse> StatsAsync(CancellationToken cancellation)
    {
        var shards = await ShardCountAsync(cancellation);
        var failed = new bool[shards];
        var answers = await Scatter(shards, failed, g => g.Stats(), cancellation);
        var stats = answers.OfType<ShardStats>().ToArray();
        if (stats.Length == 0)
        {
            throw Unavailable("no shard answered; is any silo running?");
        }

        var first = stats[0];
        var root = Path.GetDirectoryName(first.Path.TrimEnd('/')) ?? first.Path;
        return new StatsResponse(Path.GetFileName(root), stats.Sum(s => s.Documents), stats.Sum(s => s.DeletedDocuments), stats.Sum(s => s.Segments),
            stats.Sum(s => s.IndexBytes), first.Encoder, first.Kind, first.QuantizationScale, first.EncoderSettings, root, first.SampleQueries)
        {
            Shards = answers.Select((s, shard) => new ShardStatus(shard, s is not null, s?.Documents ?? 0, s?.Silo, s?.ProcessId)).ToArray(),
        };
    }

    /// <summary>Calls every shard at once; a shard that throws or times out is marked failed and gives default.</summary>
    private async Task<T?[]> Scatter<T>(int shards, bool[] failed, Func<IShardGrain, Task<T>> call, CancellationToken cancellation)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, shards).Select(shard => failed[shard] ? Task.FromResult<(bool Answered, T? Value)>((false, default)) : Call(shard, call, cancellation)));
        for (var shard = 0; shard < shards; shard++)
        {
            failed[shard] |= !results[shard].Answered;
        }

        return results.Select(r => r.Value).ToArray();
    }

    /// <summary>One shard call under the shard timeout; not answered when the shard threw or timed out (logged), so the caller decides.</summary>
    private async Task<(bool Answered, T? Value)> Call<T>(int shard, Func<IShardGrain, Task<T>> call, CancellationToken cancellation)
    {
        try
        {
            return (true, await call(ShardGrain(shard)).WaitAsync(options.ShardTimeout, cancellation));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            logger.LogWarning("Shard {Shard} did not answer: {Error}", shard, e.Message);
            return (false, default);
        }
    }

    private static ProblemException Unavailable(string detail) => new(503, "Shard unavailable", detail);

    public void Dispose()
    {
    }
}

/// <summary>A cluster's merged top hits and how many of its shards failed to answer.</summary>
public sealed record ClusterHits(IReadOnlyList<ShardHit> Hits, int Shards, int Failed);
