using SparseSearch.Core;

namespace SparseSearch.Cli;

/// <summary>
/// Runs a command body and turns failures into one line on stderr and an exit code: 2 for a user error
/// (<see cref="SparseSearchException"/>, also inside a parallel loop's AggregateException, or a path the file system
/// refuses), 130 when cancelled, 70 for anything else (a bug; set SPARSESEARCH_DEBUG=1
/// for the stack trace).
/// </summary>
internal static class CommandRunner
{
    public const int UserError = 2;
    public const int InternalError = 70;
    public const int Cancelled = 130;

    public static async Task<int> Run(TextWriter error, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (AggregateException e) when (e.Flatten().InnerExceptions.OfType<SparseSearchException>().FirstOrDefault() is { } inner)
        {
            // Parallel loops wrap what their bodies throw; the user error inside is what the user needs.
            await error.WriteLineAsync($"error: {inner.Message}");
            return UserError;
        }
        catch (SparseSearchException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return UserError;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("cancelled");
            return Cancelled;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or DirectoryNotFoundException or FileNotFoundException
            || (e is IOException && e.GetType() == typeof(IOException)))
        {
            // The file system refused a path the user gave (no permission, missing, a file where a directory must be):
            // their input, not a bug.
            await error.WriteLineAsync($"error: {e.Message}");
            return UserError;
        }
        catch (Exception e)
        {
            await error.WriteLineAsync($"internal error: {e.GetType().Name}: {e.Message}");
            if (Environment.GetEnvironmentVariable("SPARSESEARCH_DEBUG") == "1")
            {
                await error.WriteLineAsync(e.ToString());
            }

            return InternalError;
        }
    }
}
