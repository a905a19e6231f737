using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using SparseSearch.Core;
using SparseSearch.Evaluation.Beir;

namespace SparseSearch.Tests.Evaluation;

/// <summary>Downloads from a BEIR-like zip served on loopback (no internet here).</summary>
public sealed class BeirDatasetLocatorTests : IDisposable
{
    private readonly TemporaryDirectory _cache = TestPaths.Temporary();
    private readonly HttpListener _server = new();
    private readonly byte[] _zip = MakeZip("tiny");
    private readonly string _baseUrl;

    public BeirDatasetLocatorTests()
    {
        var port = FreePort();
        _baseUrl = $"http://127.0.0.1:{port}/datasets";
        _server.Prefixes.Add($"http://127.0.0.1:{port}/");
        _server.Start();
        _ = Task.Run(Serve);
    }

    [Fact]
    public void Downloads_verifies_and_extracts_a_dataset_by_name()
    {
        var md5 = Convert.ToHexStringLower(MD5.HashData(_zip));
        var locator = new BeirDatasetLocator(_cache.Path, _baseUrl, checksums: new Dictionary<string, string> { ["tiny"] = md5 });
        var directory = locator.Resolve("tiny");
        var dataset = BeirDataset.Open(directory);
        Assert.Equal("d1", new BeirCorpus(dataset.CorpusPath).Read().Single().Id);
        Assert.Equal(directory, locator.Resolve("tiny")); // cached: no second download
    }

    [Fact]
    public void A_checksum_mismatch_is_refused_and_leaves_nothing_behind()
    {
        var locator = new BeirDatasetLocator(_cache.Path, _baseUrl, checksums: new Dictionary<string, string> { ["tiny"] = new string('0', 32) });
        var error = Assert.Throws<InvalidCorpusException>(() => locator.Resolve("tiny"));
        Assert.Contains("MD5", error.Message);
        Assert.False(Directory.Exists(Path.Combine(_cache.Path, "tiny")));
    }

    [Fact]
    public void Offline_failure_explains_how_to_pass_a_local_directory()
    {
        var locator = new BeirDatasetLocator(_cache.Path, $"http://127.0.0.1:{FreePort()}/datasets");
        var error = Assert.Throws<MissingInputException>(() => locator.Resolve("scifact"));
        Assert.Contains("--dataset /path/to/scifact", error.Message);
    }

    [Fact]
    public void Scifact_has_its_published_md5() =>
        Assert.Equal("5f7d1de60b170fc8027bb7898e2efca1", BeirDatasetLocator.KnownMd5["scifact"]);

    [Fact]
    public void The_demo_dataset_is_embedded()
    {
        var dataset = BeirDataset.Open(new BeirDatasetLocator(_cache.Path).Resolve(BeirDatasetLocator.DemoName));
        Assert.Equal(30, new BeirCorpus(dataset.CorpusPath).Read().Count());
    }

    private async Task Serve()
    {
        while (_server.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _server.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            if (context.Request.Url!.AbsolutePath == "/datasets/tiny.zip")
            {
                context.Response.ContentLength64 = _zip.Length;
                await context.Response.OutputStream.WriteAsync(_zip);
            }
            else
            {
                context.Response.StatusCode = 404;
            }

            context.Response.Close();
        }
    }

    private static byte[] MakeZip(string name)
    {
        using var memory = new MemoryStream();
        using (var archive = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string path, string content)
            {
                using var writer = new StreamWriter(archive.CreateEntry($"{name}/{path}").Open());
                writer.Write(content);
            }

            Add("corpus.jsonl", "{\"_id\":\"d1\",\"title\":\"t\",\"text\":\"hello\"}\n");
            Add("queries.jsonl", "{\"_id\":\"q1\",\"text\":\"hello\"}\n");
            Add("qrels/test.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\n");
        }

        return memory.ToArray();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        _server.Close();
        _cache.Dispose();
    }
}
