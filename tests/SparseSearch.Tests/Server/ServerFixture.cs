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
        var dataset = new BeirDatasetLocator(_directory.Combine("cache"), BeirDatasetLocator.OfficialBaseUrl).Resolve(BeirDatasetLocator.DemoName, null, default);
        var encoder = EncoderCatalog.Resolve("bm25", new EncoderOptions());
        IndexBuilder.Build(new BeirCorpus(BeirDataset.FindCorpus(dataset)), encoder, IndexPath, new IndexBuildOptions { QuantizationScale = 1000 });
        _app = SparseSearchServer.Create(new ServerOptions { IndexPath = IndexPath, Urls = "http://127.0.0.1:0", MaxBodyBytes = 64 * 1024, MaxQueryChars = 200 }, new EncoderOptions());
        await _app.StartAsync();
        BaseAddress = _app.Urls.First();
        Client.BaseAddress = new Uri(BaseAddress);
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
