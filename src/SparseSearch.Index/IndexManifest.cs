using System.Text.Json;
using System.Text.Json.Serialization;
using SparseSearch.Core;
using SparseSearch.Encoding;
using SparseSearch.Encoding.Bm25;

namespace SparseSearch.Index;

/// <summary>
/// <c>sparse-index.json</c>, written next to the Lucene files once an index is complete: the single source of the
/// encoder, its settings and the quantization scale an index was built with. Readers take these from here, never from
/// their own defaults.
/// </summary>
public sealed record IndexManifest
{
    public const string FileName = "sparse-index.json";
    /// <summary>2: each segment carries its own term bounds (<see cref="Impact.Codec.ImpactBoundsPostingsFormat"/>); no side file.</summary>
    public const int CurrentFormatVersion = 2;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    public required string Encoder { get; init; }

    public required IndexKind Kind { get; init; }

    public required SortedDictionary<string, string> EncoderSettings { get; init; }

    /// <summary>Impact = round_half_up(weight × scale); scores divide by it again.</summary>
    public float QuantizationScale { get; init; } = ImpactQuantizer.DefaultScale;

    public long DocumentCount { get; init; }

    public DateTimeOffset CreatedUtc { get; init; }

    /// <summary>Where the documents came from and a fingerprint of that source, so an eval can reuse a matching index.</summary>
    public string? Source { get; init; }

    public string? SourceSha256 { get; init; }

    /// <summary>
    /// The length statistics documents were encoded with (BM25 impact encoders), so documents added later by the
    /// service are encoded against the same average length; null for encoders that need none.
    /// </summary>
    public CorpusLengthStatistics? CorpusStatistics { get; init; }

    /// <summary>
    /// True once documents were added or deleted through the service: the index no longer holds exactly its source, so
    /// an eval of that source must not reuse it. Set before the first such write is committed.
    /// </summary>
    public bool ChangedSinceBuild { get; init; }

    /// <summary>How documents were split into chunks (<c>docid#n</c>, searched MaxP), or null for whole documents.</summary>
    public Chunking.ChunkingSettings? Chunking { get; init; }

    /// <summary>How each large segment's approximate-search structures are built, or null when the index has none.</summary>
    public Approximate.ApproximateIndexSettings? Approximate { get; init; }

    /// <summary>The WordPiece vocabulary the query analysis used at build time, where searches find it by default.</summary>
    public string? VocabularyPath { get; init; }

    /// <summary>The model directory documents were encoded with ("model" encoder), where searches find it by default.</summary>
    public string? ModelDirectory { get; init; }

    public static IndexManifest For(EncoderDefinition encoder, float scale, long documents, string? source, string? sourceSha256) => new()
    {
        Encoder = encoder.Name,
        Kind = encoder.Kind,
        EncoderSettings = new SortedDictionary<string, string>(encoder.Settings.ToDictionary(), StringComparer.Ordinal),
        QuantizationScale = scale,
        DocumentCount = documents,
        CreatedUtc = DateTimeOffset.UtcNow,
        Source = source,
        SourceSha256 = sourceSha256,
    };

    public static bool ExistsIn(string indexPath) => File.Exists(Path.Combine(indexPath, FileName));

    public static IndexManifest Read(string indexPath)
    {
        var path = Path.Combine(indexPath, FileName);
        if (!File.Exists(path))
        {
            throw new MissingInputException(Directory.Exists(indexPath)
                ? $"{indexPath} is not a complete SparseSearch index ({FileName} is missing); rebuild it with 'sparse index'"
                : $"index not found: {indexPath}");
        }

        var manifest = ManifestFile.Read<IndexManifest>(path, JsonOptions, "index manifest");
        return manifest.FormatVersion == CurrentFormatVersion
            ? manifest
            : throw new IndexMismatchException($"{path} has index format version {manifest.FormatVersion}; this build reads version {CurrentFormatVersion}: rebuild the index (index or eval with --overwrite)");
    }

    public void Write(string indexPath) => ManifestFile.Write(Path.Combine(indexPath, FileName), this, JsonOptions);

    /// <summary>Refuses an encoder whose name or settings differ from the ones this index was built with.</summary>
    public void EnsureMatches(EncoderDefinition encoder, string indexPath)
    {
        if (encoder.Name != Encoder)
        {
            throw new IndexMismatchException($"index {indexPath} was built with encoder '{Encoder}', not '{encoder.Name}'; use --encoder {Encoder} or rebuild with --overwrite");
        }

        foreach (var (key, value) in encoder.Settings)
        {
            var built = EncoderSettings.GetValueOrDefault(key, "");
            if (built != value)
            {
                throw new IndexMismatchException($"index {indexPath} was built with {Encoder} setting {key}='{built}', but the encoder now has '{value}'; rebuild with --overwrite");
            }
        }
    }
}
