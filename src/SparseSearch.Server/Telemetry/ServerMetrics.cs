using System.Diagnostics.Metrics;
using SparseSearch.Server.Indexing;

namespace SparseSearch.Server.Telemetry;

/// <summary>The service's own instruments, exported with ASP.NET Core's request metrics on /metrics (Prometheus text).</summary>
public sealed class ServerMetrics : IDisposable
{
    public const string MeterName = "SparseSearch.Server";

    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _searchDuration;
    private readonly Counter<long> _searches;
    private readonly Counter<long> _written;
    private readonly Counter<long> _deleted;

    public ServerMetrics(ISearchBackend index)
    {
        _searchDuration = _meter.CreateHistogram<double>("sparsesearch.search.duration", "ms", "time to encode the query, find the top k and build the hits");
        _searches = _meter.CreateCounter<long>("sparsesearch.searches", description: "searches answered");
        _written = _meter.CreateCounter<long>("sparsesearch.documents.written", description: "documents added or replaced");
        _deleted = _meter.CreateCounter<long>("sparsesearch.documents.deleted", description: "documents deleted");
        // Gauges are read synchronously at scrape time; a cluster's stats are a round trip to its shards.
        _meter.CreateObservableGauge("sparsesearch.index.documents", () => index.StatsAsync(CancellationToken.None).GetAwaiter().GetResult().Documents,
            description: "live documents in the index");
        _meter.CreateObservableGauge("sparsesearch.index.size", () => index.StatsAsync(CancellationToken.None).GetAwaiter().GetResult().IndexBytes, "By",
            "bytes of the index directory");
    }

    public void RecordSearch(double milliseconds)
    {
        _searches.Add(1);
        _searchDuration.Record(milliseconds);
    }

    public void DocumentsWritten(int count) => _written.Add(count);

    public void DocumentDeleted() => _deleted.Add(1);

    public void Dispose() => _meter.Dispose();
}
