using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace SparseSearch.Cli;

/// <summary>Structured logs on stderr (stdout is reserved for results such as the eval JSON).</summary>
internal static class CliLogging
{
    public static ILoggerFactory Create(LogFormat format) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(LogLevel.Information);
        builder.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        if (format == LogFormat.Json)
        {
            builder.AddJsonConsole(options => options.TimestampFormat = "O");
        }
        else
        {
            builder.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss ";
            });
        }
    });
}
