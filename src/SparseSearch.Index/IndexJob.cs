using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Lucene.Net.Index;
using Lucene.Net.Store;
using SparseSearch.Core;
using SparseSearch.Encoding;

namespace SparseSearch.Index;

/// <summary>
/// What an indexing job records in each Lucene commit so that a killed job can resume: which source and settings it is
/// building (as one hash) and how many corpus records are durably in the index. Kept in the commit's user data, so the
/// progress and the documents it describes become durable in the same atomic step.
/// </summary>
public sealed record IndexJob(string Source, string SettingsHash, long Consumed)
{
    private const string SourceKey = "sparsesearch.source";
    private const string SettingsKey = "sparsesearch.settings_sha256";
    private const string ConsumedKey = "sparsesearch.consumed";

    /// <summary>Hash of everything that must match for a partial index to be continued: source content, encoder, scale, stored fields.</summary>
    public static string HashSettings(string sourceFingerprint, EncoderDefinition encoder, IndexBuildOptions options)
    {
        var text = new StringBuilder()
            .Append("source=").Append(sourceFingerprint).Append('\n')
            .Append("encoder=").Append(encoder.Name).Append('\n')
            .Append("scale=").Append(options.QuantizationScale.ToString("R", CultureInfo.InvariantCulture)).Append('\n')
            .Append("store_text=").Append(options.StoreText).Append('\n')
            .Append("chunking=").Append(options.Chunking?.ToString() ?? "none").Append('\n')
            .Append("approximate=").Append(options.Approximate?.ToString() ?? "none").Append('\n');
        foreach (var (key, value) in encoder.Settings.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append(key).Append('=').Append(value).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())));
    }

    public Dictionary<string, string> ToUserData() => new()
    {
        [SourceKey] = Source,
        [SettingsKey] = SettingsHash,
        [ConsumedKey] = Consumed.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The job recorded in the latest commit of <paramref name="path"/>, or null when there is no commit.</summary>
    public static IndexJob? ReadLatest(string path)
    {
        using var directory = FSDirectory.Open(path);
        if (!DirectoryReader.IndexExists(directory))
        {
            return null;
        }

        var commits = DirectoryReader.ListCommits(directory);
        var data = commits[^1].UserData;
        if (!data.TryGetValue(SettingsKey, out var settings) || !data.TryGetValue(ConsumedKey, out var consumed))
        {
            return null;
        }

        return new IndexJob(data.TryGetValue(SourceKey, out var source) ? source : "", settings, long.Parse(consumed, CultureInfo.InvariantCulture));
    }
}
