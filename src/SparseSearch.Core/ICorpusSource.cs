namespace SparseSearch.Core;

/// <summary>A corpus that can be streamed more than once (encoders such as BM25 need a statistics pass first).</summary>
public interface ICorpusSource
{
    /// <summary>Where the documents come from, for logs and the index manifest.</summary>
    string Description { get; }

    /// <summary>Number of documents if known in advance (for progress and ETA), else null.</summary>
    long? KnownCount { get; }

    /// <summary>Fingerprint of the source's content, so an index built from it can be recognised and reused.</summary>
    string Fingerprint();

    IEnumerable<CorpusDocument> Read(CancellationToken cancellation = default);
}

/// <summary>Progress of a long job: how many items of how many, and in which phase.</summary>
public readonly record struct JobProgress(string Phase, long Done, long? Total, TimeSpan Elapsed)
{
    public double PerSecond => Elapsed.TotalSeconds > 0 ? Done / Elapsed.TotalSeconds : 0;

    public TimeSpan? Eta => Total is { } total && PerSecond > 0 ? TimeSpan.FromSeconds((total - Done) / PerSecond) : null;
}

/// <summary>A corpus of documents that arrive already encoded (e.g. Anserini's JsonVectorCollection).</summary>
public interface IEncodedCorpusSource
{
    string Description { get; }

    string Fingerprint();

    IEnumerable<EncodedDocument> Read(CancellationToken cancellation = default);
}
