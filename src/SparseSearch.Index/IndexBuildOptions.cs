using SparseSearch.Core;
using SparseSearch.Index.Impact;

namespace SparseSearch.Index;

/// <summary>Knobs of an index build; each has a CLI flag and these defaults.</summary>
public sealed record IndexBuildOptions
{
    /// <summary>Impact = round_half_up(weight × scale). 100 is Anserini's SPLADE scale.</summary>
    public float QuantizationScale { get; init; } = ImpactQuantizer.DefaultScale;

    /// <summary>Keep title and text as stored fields (snippets in search results and the service).</summary>
    public bool StoreText { get; init; } = true;

    /// <summary>Documents handed to Lucene per in-memory segment.</summary>
    public int BatchSize { get; init; } = ImpactIndexWriter.DefaultBatchSize;

    /// <summary>Replace an existing index built with other settings instead of refusing.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Corpus records between two commits: how much work a killed job can lose and redo.</summary>
    public long CommitEvery { get; init; } = 100_000;

    /// <summary>
    /// Segments a finished build is merged down to, merged in parallel: one merge runs on one core, so two halve the
    /// final merge on a machine with two cores or more, at no measurable cost to search (see eval/RESULTS.md).
    /// </summary>
    public int FinalSegments { get; init; } = Math.Min(2, Environment.ProcessorCount);

    /// <summary>Split documents into chunks of the encoder's tokens (<c>--chunk-tokens</c>, <c>--chunk-overlap</c>); null: whole documents.</summary>
    public Chunking.ChunkingSettings? Chunking { get; init; }

    /// <summary>Build approximate-search structures with each large segment (<c>--approximate</c>); null: exact search only.</summary>
    public Approximate.ApproximateIndexSettings? Approximate { get; init; }

    /// <summary>
    /// Length statistics to weigh BM25 documents by instead of measuring this corpus's: a shard is given the whole
    /// corpus's (null: measured in a first pass when the encoder needs them).
    /// </summary>
    public Encoding.Bm25.CorpusLengthStatistics? CorpusStatistics { get; init; }

    /// <summary>Documents encoded at a time, in parallel across cores.</summary>
    public int EncodeChunkSize { get; init; } = 1024;
}
