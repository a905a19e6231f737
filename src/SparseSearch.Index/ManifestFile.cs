using System.Text.Json;
using SparseSearch.Core;

namespace SparseSearch.Index;

/// <summary>
/// The JSON manifests beside indexes (<c>sparse-index.json</c>, <c>sparse-fields.json</c>, <c>sparse-cluster.json</c>):
/// written then renamed, so a crash never leaves a truncated one that looks complete, and read with one clear error for
/// an empty or malformed file.
/// </summary>
internal static class ManifestFile
{
    public static void Write<T>(string file, T manifest, JsonSerializerOptions options)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        File.WriteAllText(file + ".tmp", JsonSerializer.Serialize(manifest, options));
        File.Move(file + ".tmp", file, overwrite: true);
    }

    /// <param name="what">What the file is, for the error ("index manifest").</param>
    public static T Read<T>(string file, JsonSerializerOptions options, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(file), options) ?? throw new InvalidSettingException($"{file} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidSettingException($"{file} is not a valid {what}: {e.Message}");
        }
    }
}
