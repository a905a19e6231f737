using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace SparseSearch.Cli;

/// <summary>Structured logs on stderr (stdout is reserved for results such as the eval JSON).</summary>
internal static class CliLogging
{
    public static ILoggerFactory Create(LogFormat format) => LoggerFactory.Create(builder => Configure(builder, format));

    /// <summary>The same logging for a hosted process (a silo); Orleans' own chatter only from warnings up.</summary>
    public static void ConfigureHost(ILoggingBuilder builder, LogFormat format)
    {
        builder.ClearProviders();
        Configure(builder, format);
        builder.AddFilter("Orleans", LogLevel.Warning);
        builder.AddFilter("Microsoft", LogLevel.Warning);
        // A silo that cannot start (Redis unreachable) is reported by the command as one error line; the runtime's and
        // the host's own reports of it are stack traces.
        builder.AddFilter("Orleans.Runtime.Silo", LogLevel.Critical);
        builder.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
    }

    private static void Configure(ILoggingBuilder builder, LogFormat format)
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
    }
}
