namespace SparseSearch.Tests;

/// <summary>Locations of the repository and of the shared collections beside it (../shared), found from the test binary.</summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    public static string Dataset(string name)
    {
        var path = Path.Combine(Shared, "datasets", name);
        return Directory.Exists(path)
            ? path
            : throw new DirectoryNotFoundException($"test collection {path} is missing: tests expect ../shared beside the clone");
    }

    public static string BertVocab => Path.Combine(Shared, "models", "bert-base-uncased", "vocab.txt");

    /// <summary>A fresh temporary directory, removed when disposed.</summary>
    public static TemporaryDirectory Temporary() => new();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SparseSearch.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("SparseSearch.sln not found above the test binary");
    }
}

public sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sparsesearch-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A reader still open on Windows; the OS cleans temp eventually.
        }
    }
}
