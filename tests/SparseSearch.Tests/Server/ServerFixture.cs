using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using System.Text.Json;
using SparseSearch.Encoding;
using SparseSearch.Evaluation.Beir;
using SparseSearch.Index;
using SparseSearch.Server;

namespace SparseSearch.Tests.Server;

/// <summary>A real Kestrel on a loopback port serving a fresh bm25 index of the demo corpus.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private readonly TemporaryDirectory _directory = TestPaths.Temporary();
    private WebApplication? _app;

    public HttpClient Client { get; } = new();

    public string BaseAddress { get; private set; } = "";

    public string IndexPath => _directory.Combine("demo-bm25");

    public async Task InitializeAsync()
    {
        BuildDemoIndex(_directory, IndexPath);
        _app = SparseSearchServer.Create(new ServerOptions { IndexPath = IndexPath, Urls = "http://127.0.0.1:0", MaxBodyBytes = 64 * 1024, MaxQueryChars = 200 }, new EncoderOptions());
        await _app.StartAsync();
        BaseAddress = _app.Urls.First();
        Client.BaseAddress = new Uri(BaseAddress);
    }

    /// <summary>The embedded demo corpus indexed with bm25 at <paramref name="indexPath"/>.</summary>
    public static void BuildDemoIndex(TemporaryDirectory directory, string indexPath)
    {
        var dataset = new BeirDatasetLocator(directory.Combine("cache"), BeirDatasetLocator.OfficialBaseUrl).Resolve(BeirDatasetLocator.DemoName, null, default);
        var encoder = EncoderCatalog.Resolve("bm25", new EncoderOptions());
        IndexBuilder.Build(new BeirCorpus(BeirDataset.FindCorpus(dataset)), encoder, indexPath, new IndexBuildOptions { QuantizationScale = 1000 });
    }

    public async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _directory.Dispose();
    }
}
