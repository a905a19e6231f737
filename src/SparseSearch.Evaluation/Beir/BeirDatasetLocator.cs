using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using SparseSearch.Core;

namespace SparseSearch.Evaluation.Beir;

/// <summary>
/// Turns <c>--dataset</c> into a local BEIR directory: an existing directory as it is; <c>demo</c> as the small corpus
/// embedded in this assembly; any other BEIR name (<c>scifact</c>, <c>nfcorpus</c>, …) as a cache directory, downloading
/// the official zip into it when absent, with its published MD5 checked where known.
/// </summary>
public sealed partial class BeirDatasetLocator(
    string cacheDirectory,
    string baseUrl = BeirDatasetLocator.OfficialBaseUrl,
    HttpClient? http = null,
    IReadOnlyDictionary<string, string>? checksums = null)
{
    private readonly IReadOnlyDictionary<string, string> _checksums = checksums ?? KnownMd5;

    public const string OfficialBaseUrl = "https://public.ukp.informatik.tu-darmstadt.de/thakur/BEIR/datasets";
    public const string DemoName = "demo";

    /// <summary>Published MD5 of the official BEIR zips (from the BEIR repository's dataset table).</summary>
    public static IReadOnlyDictionary<string, string> KnownMd5 { get; } = new Dictionary<string, string>
    {
        ["scifact"] = "5f7d1de60b170fc8027bb7898e2efca1",
    };

    public static string DefaultCacheDirectory =>
        Environment.GetEnvironmentVariable("SPARSESEARCH_DATA") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "sparsesearch", "datasets");

    public string Resolve(string dataset, IProgress<JobProgress>? progress = null, CancellationToken cancellation = default)
    {
        if (Directory.Exists(dataset) || File.Exists(dataset))
        {
            return dataset;
        }

        if (dataset == DemoName)
        {
            return ExtractDemo();
        }

        if (!DatasetName().IsMatch(dataset))
        {
            throw new MissingInputException($"dataset directory not found: {dataset}");
        }

        var target = Path.Combine(cacheDirectory, dataset);
        if (Directory.Exists(target))
        {
            return target;
        }

        return Download(dataset, target, progress, cancellation);
    }

    private string Download(string name, string target, IProgress<JobProgress>? progress, CancellationToken cancellation)
    {
        var url = $"{baseUrl.TrimEnd('/')}/{name}.zip";
        Directory.CreateDirectory(cacheDirectory);
        var zipPath = Path.Combine(cacheDirectory, $"{name}.zip.partial");
        var client = http ?? new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        try
        {
            using (var response = client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellation).GetAwaiter().GetResult())
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw new MissingInputException($"could not download BEIR dataset '{name}' from {url}: HTTP {(int)response.StatusCode}. {LocalHint(name)}");
                }

                var total = response.Content.Headers.ContentLength;
                using var body = response.Content.ReadAsStream(cancellation);
                using var file = File.Create(zipPath);
                var buffer = new byte[1 << 16];
                long done = 0;
                var clock = System.Diagnostics.Stopwatch.StartNew();
                int read;
                while ((read = body.Read(buffer)) > 0)
                {
                    file.Write(buffer, 0, read);
                    done += read;
                    progress?.Report(new JobProgress("download (bytes)", done, total, clock.Elapsed));
                }
            }

            VerifyChecksum(name, zipPath);
            var staging = target + ".partial";
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            ZipFile.ExtractToDirectory(zipPath, staging);
            // The official zips hold one folder named after the dataset.
            var inner = Path.Combine(staging, name);
            Directory.Move(Directory.Exists(inner) ? inner : staging, target);
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            return target;
        }
        catch (HttpRequestException e)
        {
            throw new MissingInputException($"could not download BEIR dataset '{name}' from {url} ({e.Message}); this machine may be offline. {LocalHint(name)}");
        }
        catch (TaskCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            throw new MissingInputException($"download of BEIR dataset '{name}' from {url} timed out ({e.Message}). {LocalHint(name)}");
        }
        catch (InvalidDataException e)
        {
            throw new InvalidCorpusException($"downloaded {url} is not a valid zip ({e.Message}). {LocalHint(name)}");
        }
        finally
        {
            File.Delete(zipPath);
            if (http is null)
            {
                client.Dispose();
            }
        }
    }

    private void VerifyChecksum(string name, string zipPath)
    {
        if (!_checksums.TryGetValue(name, out var expected))
        {
            return;
        }

        using var stream = File.OpenRead(zipPath);
        var actual = Convert.ToHexStringLower(MD5.HashData(stream));
        if (actual != expected)
        {
            throw new InvalidCorpusException($"downloaded {name}.zip has MD5 {actual}, but BEIR publishes {expected}: the download is corrupt or not the official file");
        }
    }

    private static string LocalHint(string name) =>
        $"Download {name}.zip from {OfficialBaseUrl}/{name}.zip on a machine with internet, unzip it, and pass --dataset /path/to/{name} " +
        "(a directory with corpus.jsonl, queries.jsonl and qrels/test.tsv).";

    private string ExtractDemo()
    {
        // A versioned parent keeps a stale extraction from being reused; the leaf keeps the dataset's name "demo".
        var target = Path.Combine(cacheDirectory, DemoName + "-" + DemoVersion(), DemoName);
        if (Directory.Exists(target))
        {
            return target;
        }

        var staging = target + ".partial." + Environment.ProcessId;
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        Directory.CreateDirectory(Path.Combine(staging, "qrels"));
        var assembly = typeof(BeirDatasetLocator).Assembly;
        foreach (var (resource, file) in new[] { ("corpus.jsonl", "corpus.jsonl"), ("queries.jsonl", "queries.jsonl"), ("test.tsv", "qrels/test.tsv") })
        {
            using var stream = assembly.GetManifestResourceStream($"SparseSearch.Evaluation.Demo.{resource}")
                ?? throw new InvalidOperationException($"embedded demo resource {resource} is missing from the build");
            using var output = File.Create(Path.Combine(staging, file));
            stream.CopyTo(output);
        }

        try
        {
            Directory.Move(staging, target);
        }
        catch (IOException) when (Directory.Exists(target))
        {
            Directory.Delete(staging, recursive: true); // another process extracted it first
        }

        return target;
    }

    /// <summary>Changes whenever the embedded demo files change, so a stale extraction is never reused.</summary>
    private static string DemoVersion()
    {
        var assembly = typeof(BeirDatasetLocator).Assembly;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in assembly.GetManifestResourceNames().Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            sha.AppendData(memory.ToArray());
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset())[..12];
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex DatasetName();
}
