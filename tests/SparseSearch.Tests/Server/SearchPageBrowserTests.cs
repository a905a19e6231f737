using System.Diagnostics;

namespace SparseSearch.Tests.Server;

/// <summary>
/// Loads the search page in a real headless Chromium (Debian's <c>chromium</c>, which .ci/run installs), lets it run
/// a query, and checks what it rendered: result cards, highlighted snippet words and contribution bars. Skipped, and
/// reported as skipped, only where no Chromium can be installed.
/// </summary>
public class SearchPageBrowserTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    public static string? Chromium => new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    [SkippableFact]
    [Trait("Category", "Browser")]
    public async Task The_page_runs_a_query_and_renders_highlighted_results_with_contribution_bars()
    {
        Skip.If(Chromium is null, "no Chromium on this machine (apt-get install chromium)");
        var dom = await Run("--dump-dom", $"{server.BaseAddress}/?q=learned+sparse+retrieval");
        Assert.Contains("class=\"hit\"", dom);
        Assert.Contains("<mark>", dom);
        Assert.Contains("class=\"fill\"", dom);
        Assert.Contains("results in", dom);
        Assert.DoesNotContain("class=\"error\"", dom);

        // The start state says what is searched and offers queries and the API; deep pages and documents open.
        var start = await Run("--dump-dom", $"{server.BaseAddress}/");
        Assert.Contains("Index demo-bm25", start);
        Assert.Contains("openapi/v1.json", start);
        Assert.Contains("?q=", start);
        var second = await Run("--dump-dom", $"{server.BaseAddress}/?q=document+query+index+term+score+model&from=10");
        Assert.Contains("11–", second);
        Assert.Contains("Previous", second);
        var document = await Run("--dump-dom", $"{server.BaseAddress}/?doc=d22");
        Assert.Contains("Sourdough bread", document);
        Assert.Contains("wild yeast", document);

        // Keep a screenshot next to the test output (the closing note shows one made the same way).
        var screenshot = Path.Combine(AppContext.BaseDirectory, "search-page.png");
        await Run($"--screenshot={screenshot}", "--window-size=1200,900", $"{server.BaseAddress}/?q=learned+sparse+retrieval");
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is empty");
    }

    [SkippableFact]
    [Trait("Category", "Browser")]
    public async Task Behind_api_keys_the_page_says_a_key_is_needed_instead_of_failing()
    {
        Skip.If(Chromium is null, "no Chromium on this machine (apt-get install chromium)");
        using var directory = TestPaths.Temporary();
        var index = directory.Combine("demo-bm25");
        ServerFixture.BuildDemoIndex(directory, index);
        var options = new SparseSearch.Server.ServerOptions { IndexPath = index, Urls = "http://127.0.0.1:0", Keys = SparseSearch.Server.Security.ApiKeys.Of("r", "w") };
        await using var app = SparseSearch.Server.SparseSearchServer.Create(options, new SparseSearch.Encoding.EncoderOptions());
        await app.StartAsync();

        // Headless Chromium dismisses the key prompt: the page must show the server's problem, not break.
        var dom = await Run("--dump-dom", $"{app.Urls.First()}/?q=wild+yeast");
        Assert.Contains("class=\"error\">this server needs an API key", dom);
        Assert.DoesNotContain("class=\"error\">Search failed", dom);
    }

    private static async Task<string> Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Chromium!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--virtual-time-budget=15000" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return await output;
    }
}
