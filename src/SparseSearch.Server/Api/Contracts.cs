using System.Text.Json;
using System.Text.Json.Serialization;

namespace SparseSearch.Server.Api;

/// <summary>POST /search body (documented in the OpenAPI description; parsed by <see cref="SearchEndpoints"/>).</summary>
/// <param name="Filter">A metadata filter applied inside the top k: term, terms, range, and, or, not (README: Filters).</param>
/// <param name="Fields">A multi-field index: the fields to search and fuse (default all).</param>
/// <param name="Fusion">How to fuse them: {method: rrf|linear, rank_constant: 60, rank_window: 100, normalization: min_max|l2|z_score, weights: {field: weight}}.</param>
/// <param name="FirstPassages">A chunked index: only each document's first P chunks compete (default all).</param>
/// <param name="Approximate">true, or {query_terms, candidates}: approximate search where the index carries its structures.</param>
public sealed record SearchRequest(string Query, int K = 10, int From = 0, bool Explain = false, JsonElement? Filter = null, IReadOnlyList<string>? Fields = null,
    JsonElement? Fusion = null, int? FirstPassages = null, JsonElement? Approximate = null);

/// <summary>
/// An approximate search's knobs (a count or "all") and how many segments it searched approximately: 0 means the
/// result is exact (no segment carries approximate structures).
/// </summary>
public sealed record ApproximateUsed(JsonElement QueryTerms, JsonElement Candidates, int ApproximateSegments);

public sealed record QueryTerm(string Term, float Weight);

public sealed record FieldScore(string Field, int Rank, float Score, double Normalized, double Contribution);

public sealed record Highlight(int Start, int Length);

public sealed record MatchedTerm(string Term, float QueryWeight, float DocumentWeight, double Contribution);

public sealed record SearchHit(
    string Id,
    float Score,
    string Title,
    string Snippet,
    IReadOnlyList<Highlight> Highlights,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<MatchedTerm>? Matches)
{
    /// <summary>The document's metadata object, when it has one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Metadata { get; init; }

    /// <summary>In a chunked index, the best chunk (<c>docid#n</c>): the hit's score, snippet and matches are its.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Passage { get; init; }

    /// <summary>A fused multi-field search with explain: each field's rank, score, normalized score and contribution.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<FieldScore>? Fields { get; init; }
}

/// <summary>How many documents match: exact ("eq") or a lower bound ("gte") when counting would cost more than the search.</summary>
public sealed record TotalHits(long Value, string Relation);

public sealed record SearchResponse(IReadOnlyList<SearchHit> Hits, TotalHits Total, int From, int K, double TookMs, IReadOnlyList<QueryTerm> QueryTerms)
{
    /// <summary>Present when the search was asked to be approximate: hits may then miss documents exact search would return.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ApproximateUsed? Approximate { get; init; }

    /// <summary>A cluster's answer: how many shards were asked and answered (absent on one node).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ShardsAnswered? Shards { get; init; }

    /// <summary>True when some shard did not answer and the hits come from the others (allow_partial).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Partial { get; init; }
}

/// <summary>Shards a cluster search was sent to, and how many answered or failed (Elasticsearch's <c>_shards</c>).</summary>
public sealed record ShardsAnswered(int Total, int Successful, int Failed);

public sealed record DocumentSummary(string Id, string Title);

public sealed record DocumentPage(IReadOnlyList<DocumentSummary> Documents, long Total, long From, int Size);

/// <summary>One document of POST /documents: text to encode, or a pre-encoded vector.</summary>
public sealed record DocumentInput(string Id, string? Title = null, string? Text = null, IReadOnlyDictionary<string, float>? Vector = null)
{
    /// <summary>Filterable fields (keywords, numbers, booleans; nested objects as dotted names), stored and returned.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Metadata { get; init; }

    /// <summary>The metadata as read and checked by the endpoint (what is indexed).</summary>
    [JsonIgnore]
    public Core.DocumentMetadata? ParsedMetadata { get; init; }
}

public sealed record DocumentsResponse(int Indexed, bool Durable, bool Visible);

public sealed record DocumentView(string Id, string Title, string Text, IReadOnlyDictionary<string, float> Vector)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Metadata { get; init; }
}

public sealed record StatsResponse(string Name, long Documents, long DeletedDocuments, int Segments, long IndexBytes, string Encoder, string Kind,
    float QuantizationScale, IReadOnlyDictionary<string, string> EncoderSettings, string Path, IReadOnlyList<string> SampleQueries)
{
    /// <summary>A multi-field index's fields (null for a single index).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Fields { get; init; }

    /// <summary>A cluster's shards: each one's documents and the silo serving it, or that it did not answer.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ShardStatus>? Shards { get; init; }
}

/// <summary>One shard of a cluster as /stats reports it (silo and process id null when it did not answer).</summary>
public sealed record ShardStatus(int Shard, bool Available, long Documents, string? Silo, int? ProcessId);
