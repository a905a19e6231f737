using System.Text.Json;
using SparseSearch.Core;

namespace SparseSearch.Index;

/// <summary>
/// The one-writer-per-index rule, enforced by the operating system: an exclusive lock on <c>DIR.lock</c> beside the
/// index (flock on Linux, a share-none handle on Windows), held by whoever writes <c>DIR</c> or builds <c>DIR.partial</c>
/// — a serving process, an indexing job, eval building its index. The lock dies with its process, so a SIGKILL never
/// leaves a stale one. Lucene's own write.lock did not exclude a second process here (two servers both acknowledged
/// writes into one index), and it lives inside the directory a rebuild replaces; this one guards the name.
/// Who holds it is written to <c>DIR.lock.json</c>, since the locked file itself cannot be read by another process.
/// </summary>
public sealed class IndexLock : IDisposable
{
    private readonly FileStream _handle;
    private readonly string _holderPath;

    private IndexLock(FileStream handle, string holderPath)
    {
        _handle = handle;
        _holderPath = holderPath;
    }

    public static string LockPath(string indexPath) => Path.GetFullPath(indexPath).TrimEnd('/', '\\') + ".lock";

    /// <summary>Takes the index's writer lock or throws <see cref="IndexInUseException"/> naming the process holding it.</summary>
    /// <param name="purpose">What this process will do with the index, shown to a process refused the lock.</param>
    public static IndexLock Acquire(string indexPath, string purpose)
    {
        var path = LockPath(indexPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        FileStream handle;
        try
        {
            handle = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new IndexInUseException($"index {indexPath} is in use by another process ({DescribeHolder(path)}); stop it first or choose another --index");
        }

        var holder = new LockHolder(Environment.ProcessId, purpose, Environment.MachineName, DateTimeOffset.UtcNow);
        File.WriteAllText(path + ".json", JsonSerializer.Serialize(holder));
        return new IndexLock(handle, path + ".json");
    }

    private static string DescribeHolder(string path)
    {
        try
        {
            var holder = JsonSerializer.Deserialize<LockHolder>(File.ReadAllText(path + ".json"));
            return holder is null ? "holder unknown" : $"pid {holder.Pid} on {holder.Host}: {holder.Purpose}, since {holder.Since:u}";
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return "holder unknown";
        }
    }

    public void Dispose()
    {
        try
        {
            File.Delete(_holderPath);
        }
        catch (IOException)
        {
            // Only a description; the lock itself is released below.
        }

        _handle.Dispose();
    }

    private sealed record LockHolder(int Pid, string Purpose, string Host, DateTimeOffset Since);
}
