using System.Text.Json.Serialization;

namespace SparseSearch.Server.Api;

/// <summary>POST /search body (documented in the OpenAPI description; parsed by <see cref="SearchEndpoints"/>).</summary>
public sealed record SearchRequest(string Query, int K = 10, bool Explain = false);

public sealed record QueryTerm(string Term, float Weight);

public sealed record Highlight(int Start, int Length);

public sealed record MatchedTerm(string Term, float QueryWeight, float DocumentWeight, double Contribution);

public sealed record SearchHit(
    string Id,
    float Score,
    string Title,
    string Snippet,
    IReadOnlyList<Highlight> Highlights,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<MatchedTerm>? Matches);

public sealed record SearchResponse(IReadOnlyList<SearchHit> Hits, double TookMs, IReadOnlyList<QueryTerm> QueryTerms);

/// <summary>One document of POST /documents: text to encode, or a pre-encoded vector.</summary>
public sealed record DocumentInput(string Id, string? Title = null, string? Text = null, IReadOnlyDictionary<string, float>? Vector = null);

public sealed record DocumentsResponse(int Indexed, bool Durable, bool Visible);

public sealed record DocumentView(string Id, string Title, string Text, IReadOnlyDictionary<string, float> Vector);

public sealed record StatsResponse(long Documents, long DeletedDocuments, int Segments, long IndexBytes, string Encoder, string Kind,
    float QuantizationScale, IReadOnlyDictionary<string, string> EncoderSettings, string Path);
