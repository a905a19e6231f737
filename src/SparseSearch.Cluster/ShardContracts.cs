namespace SparseSearch.Cluster;

// What crosses the wire between the front end and the shards. Orleans generates each type's serializer at build
// time ([GenerateSerializer]); the [Id]s are the wire format, so a field keeps its number for as long as old silos may
// still be talking.

/// <summary>A request a shard refused, as the problem the front end answers with (status, title, detail, field).</summary>
[GenerateSerializer, Immutable]
public sealed record ShardProblem
{
    [Id(0)] public required int Status { get; init; }
    [Id(1)] public required string Title { get; init; }
    [Id(2)] public required string Detail { get; init; }
    [Id(3)] public string? Field { get; init; }
}

/// <summary>What a cluster holds, as its first shard describes it.</summary>
[GenerateSerializer, Immutable]
public sealed record ClusterDescription
{
    [Id(0)] public required int Shards { get; init; }
    [Id(1)] public required string Encoder { get; init; }
}

/// <summary>One shard's part of a query's statistics: its documents (maxDoc) and each analysed term's document frequency.</summary>
[GenerateSerializer, Immutable]
public sealed record ShardTermStatistics
{
    [Id(0)] public required long DocumentCount { get; init; }
    [Id(1)] public required Dictionary<string, long> DocFreqs { get; init; }

    /// <summary>Each analysed term's largest impact in the shard: the cluster's maximum fixes every shard's fixed-point step.</summary>
    [Id(2)] public required Dictionary<string, int> MaxImpacts { get; init; }
}

/// <summary>A query already weighted by the front end, sent to every shard.</summary>
[GenerateSerializer, Immutable]
public sealed record ShardSearchRequest
{
    [Id(0)] public required Dictionary<string, float> Vector { get; init; }
    [Id(1)] public required int Count { get; init; }
    [Id(2)] public bool Explain { get; init; }
    [Id(3)] public string? FilterJson { get; init; }
    [Id(4)] public int? FirstPassages { get; init; }
    [Id(5)] public bool Approximate { get; init; }
    [Id(6)] public int ApproximateQueryTerms { get; init; }
    [Id(7)] public int ApproximateCandidates { get; init; }
    [Id(8)] public long CountBudget { get; init; }

    /// <summary>The query terms' largest impacts over the cluster: every shard scores on the fixed-point step one node would.</summary>
    [Id(9)] public required Dictionary<string, int> MaxImpacts { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record ShardTermMatch
{
    [Id(0)] public required string Term { get; init; }
    [Id(1)] public required float QueryWeight { get; init; }
    [Id(2)] public required float DocumentWeight { get; init; }
    [Id(3)] public required double Contribution { get; init; }
}

/// <summary>A hit as a shard describes it; <see cref="Sequence"/> orders ties between shards as one node would.</summary>
[GenerateSerializer, Immutable]
public sealed record ShardHit
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required float Score { get; init; }
    [Id(2)] public required long Sequence { get; init; }
    [Id(3)] public required string Title { get; init; }
    [Id(4)] public required string Snippet { get; init; }
    [Id(5)] public required int[] Highlights { get; init; }
    [Id(6)] public ShardTermMatch[]? Matches { get; init; }
    [Id(7)] public string? Metadata { get; init; }
    [Id(8)] public string? Passage { get; init; }

    /// <summary>The exact fixed-point score sum: shards on one step compare by it where float scores tie.</summary>
    [Id(9)] public required long ExactSum { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record ShardSearchResult
{
    [Id(0)] public ShardHit[] Hits { get; init; } = [];
    [Id(1)] public long Total { get; init; }
    [Id(2)] public bool Exact { get; init; }
    [Id(3)] public int ApproximateSegments { get; init; }
    [Id(4)] public ShardProblem? Problem { get; init; }
}

/// <summary>A document to write, validated by the front end (metadata as its JSON text).</summary>
[GenerateSerializer, Immutable]
public sealed record ShardDocument
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public string? Title { get; init; }
    [Id(2)] public string? Text { get; init; }
    [Id(3)] public Dictionary<string, float>? Vector { get; init; }
    [Id(4)] public string? MetadataJson { get; init; }

    /// <summary>Where the document stood in the client's request, so a shard's problem names it as the client sent it.</summary>
    [Id(5)] public int Position { get; init; }
}

/// <summary>A stored document as a shard returns it.</summary>
[GenerateSerializer, Immutable]
public sealed record ShardDocumentView
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Title { get; init; }
    [Id(2)] public required string Text { get; init; }
    [Id(3)] public required Dictionary<string, float> Vector { get; init; }
    [Id(4)] public string? MetadataJson { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record ShardDocumentPage
{
    [Id(0)] public required string[] Ids { get; init; }
    [Id(1)] public required string[] Titles { get; init; }
    [Id(2)] public required long Total { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record ShardStats
{
    [Id(0)] public required long Documents { get; init; }
    [Id(1)] public required long DeletedDocuments { get; init; }
    [Id(2)] public required int Segments { get; init; }
    [Id(3)] public required long IndexBytes { get; init; }
    [Id(4)] public required string Encoder { get; init; }
    [Id(5)] public required string Kind { get; init; }
    [Id(6)] public required float QuantizationScale { get; init; }
    [Id(7)] public required Dictionary<string, string> EncoderSettings { get; init; }
    [Id(8)] public required string Path { get; init; }
    [Id(9)] public required string[] SampleQueries { get; init; }

    /// <summary>The silo serving the shard, and its process: where an operator looks when a shard misbehaves.</summary>
    [Id(10)] public required string Silo { get; init; }
    [Id(11)] public required int ProcessId { get; init; }
}
