using System.Reflection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Timeouts;
using OpenTelemetry.Metrics;
using SparseSearch.Encoding;
using SparseSearch.Server.Api;
using SparseSearch.Server.Indexing;
using SparseSearch.Server.Security;
using SparseSearch.Server.Telemetry;

namespace SparseSearch.Server;

/// <summary>Builds the <c>sparse serve</c> web application: minimal APIs over a <see cref="LiveIndex"/>, the page at /, metrics and OpenAPI.</summary>
public static class SparseSearchServer
{
    public static WebApplication Create(ServerOptions options, EncoderOptions encoderOptions, bool jsonLogs = false)
    {
        // Open the index first: a wrong path, a text index or an index another process holds fails here with a clear
        // message, before Kestrel starts.
        var index = IndexService.Open(options.IndexPath, encoderOptions);
        try
        {
            return Create(options, _ => index, configure: null, jsonLogs);
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The same API over another backend (a cluster's shards): <paramref name="backend"/> is created by the host's
    /// services and owned by the host; <paramref name="configure"/> adds what it needs (an Orleans client).
    /// </summary>
    public static WebApplication Create(ServerOptions options, Func<IServiceProvider, ISearchBackend> backend, Action<WebApplicationBuilder>? configure,
        bool jsonLogs = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes);
        builder.Logging.ClearProviders();
        // Logs, ASP.NET Core's included, go to stderr: stdout is for results.
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        // One line per request on a synchronous console costs more than the search itself; errors are still logged.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // A port that cannot be bound is reported by sparse serve as one error line; the host's own stack trace is noise.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        if (jsonLogs)
        {
            builder.Logging.AddJsonConsole(o => o.TimestampFormat = "O");
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }

        // Registered through a factory so the host owns it: disposing the app commits and releases the index.
        builder.Services.AddSingleton(backend);
        configure?.Invoke(builder);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<ServerMetrics>();
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            // Problems the framework answers itself (an endpoint's declared content type, 415) get a detail too.
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType && context.ProblemDetails.Detail is null)
            {
                context.ProblemDetails.Detail = $"send the body as application/json, not {context.HttpContext.Request.ContentType ?? "without a Content-Type"}";
                context.ProblemDetails.Extensions["field"] = "Content-Type";
            }
        });
        builder.Services.AddExceptionHandler<ProblemHandler>();
        builder.Services.AddRequestTimeouts(t => t.DefaultPolicy = new RequestTimeoutPolicy { Timeout = options.RequestTimeout, TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable });
        builder.Services.AddOpenApi(openApi => openApi.AddOperationTransformer(OpenApiDescriptions.Describe));
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins([.. options.CorsOrigins])
            .WithMethods("GET", "POST", "DELETE")
            .WithHeaders("Content-Type", "Authorization", "X-API-Key")));
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddMeter(ServerMetrics.MeterName)
            .AddPrometheusExporter());
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors();
        app.UseApiKeys(options.Keys);
        app.UseRequestTimeouts();
        app.MapOpenApi();
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapGet("/", () => Results.Content(Page.Value, "text/html; charset=utf-8")).ExcludeFromDescription().Requires(Access.Open);
        SearchEndpoints.Map(app, options);
        DocumentEndpoints.Map(app, options);
        HealthEndpoints.Map(app);
        // Resolve the metrics now so their gauges exist before the first scrape (and the index with them, so the host
        // disposes it even if no request ever came).
        app.Services.GetRequiredService<ServerMetrics>();
        return app;
    }

    private static readonly Lazy<string> Page = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("wwwroot/index.html")
            ?? throw new InvalidOperationException("the search page is missing from the build");
        return new StreamReader(stream).ReadToEnd();
    });
}
