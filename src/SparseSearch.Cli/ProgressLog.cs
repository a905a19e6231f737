using Microsoft.Extensions.Logging;
using SparseSearch.Core;

namespace SparseSearch.Cli;

/// <summary>Reports a long job's progress as log events (rate and ETA), at most once per interval, plus the last one.</summary>
internal sealed class ProgressLog(ILogger logger, string unit, TimeSpan? interval = null) : IProgress<JobProgress>
{
    private readonly TimeSpan _interval = interval ?? TimeSpan.FromSeconds(2);
    private readonly Lock _gate = new();
    private TimeSpan? _lastReport;

    public void Report(JobProgress value)
    {
        var finished = value.Total is { } total && value.Done >= total;
        lock (_gate)
        {
            if (!finished && _lastReport is { } last && value.Elapsed - last < _interval)
            {
                return;
            }

            _lastReport = value.Elapsed;
        }

        logger.LogInformation(
            "{Phase}: {Done}/{Total} {Unit}, {Rate:F0} {Unit}/s, ETA {Eta}",
            value.Phase, value.Done, value.Total?.ToString() ?? "?", unit, value.PerSecond, unit,
            value.Eta is { } eta ? eta.ToString(@"hh\:mm\:ss") : "?");
    }
}
