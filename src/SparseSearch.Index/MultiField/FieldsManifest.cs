using System.Text.Json;
using SparseSearch.Core;

namespace SparseSearch.Index.MultiField;

/// <summary>
/// <c>sparse-fields.json</c>: an index of several sparse fields, each a complete index of its own (its encoder,
/// quantization and manifest) under <c>fields/&lt;name&gt;</c>, over the same documents. Written last, once every field
/// is built, so a directory with it is a complete multi-field index.
/// </summary>
public sealed record FieldsManifest(int FormatVersion, IReadOnlyList<string> Fields)
{
    public const string FileName = "sparse-fields.json";
    public const int CurrentFormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static bool ExistsIn(string path) => File.Exists(System.IO.Path.Combine(path, FileName));

    public static string FieldPath(string path, string field) => System.IO.Path.Combine(path, "fields", field);

    public static FieldsManifest Read(string path)
    {
        var file = System.IO.Path.Combine(path, FileName);
        var manifest = ManifestFile.Read<FieldsManifest>(file, Json, "fields manifest");
        return manifest.FormatVersion == CurrentFormatVersion
            ? manifest
            : throw new IndexMismatchException($"{file} has format version {manifest.FormatVersion}; this build reads {CurrentFormatVersion}: rebuild with --overwrite");
    }

    public void Write(string path) => ManifestFile.Write(System.IO.Path.Combine(path, FileName), this, Json);

    /// <summary>
    /// Builds (or reuses) every field over one corpus, each with its own encoder, then writes the manifest: one job,
    /// each field crash-safe and resumable as any index is. Returns whether every field was reused.
    /// </summary>
    /// <param name="scale">One scale for every field, or null for each encoder's default.</param>
    public static bool EnsureBuilt(ICorpusSource source, IReadOnlyList<Encoding.EncoderDefinition> encoders, string path, IndexBuildOptions options, float? scale,
        IProgress<JobProgress>? progress = null, CancellationToken cancellation = default)
    {
        if (encoders.Select(e => e.Name).Distinct(StringComparer.Ordinal).Count() != encoders.Count || encoders.Count < 2)
        {
            throw new InvalidSettingException("--fields needs two or more different encoders, e.g. --fields bm25,bm25-wp");
        }

        if (!options.Overwrite && Directory.Exists(path) && !ExistsIn(path) && Directory.EnumerateFileSystemEntries(path).Any())
        {
            throw new IndexMismatchException($"{path} exists and is not a multi-field SparseSearch index; pass --overwrite or choose another --index");
        }

        var reused = true;
        foreach (var encoder in encoders)
        {
            var fieldOptions = options with { QuantizationScale = scale ?? encoder.DefaultQuantizationScale };
            reused &= IndexBuilder.EnsureBuilt(source, encoder, FieldPath(path, encoder.Name), fieldOptions, progress, cancellation);
        }

        new FieldsManifest(CurrentFormatVersion, encoders.Select(e => e.Name).ToArray()).Write(path);
        return reused;
    }
}
