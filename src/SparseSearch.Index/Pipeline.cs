using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace SparseSearch.Index;

/// <summary>A bounded producer/consumer stage: lets reading and encoding of the next chunks overlap with index writing.</summary>
public static class Pipeline
{
    /// <summary>
    /// Enumerates <paramref name="source"/> on a background thread, at most <paramref name="capacity"/> items ahead of
    /// the consumer (memory stays bounded). Exceptions reach the consumer at the item where they happened; a consumer
    /// that stops early stops the producer too.
    /// </summary>
    public static IEnumerable<T> Prefetch<T>(IEnumerable<T> source, int capacity, CancellationToken cancellation)
    {
        using var queue = new BlockingCollection<T>(capacity);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        ExceptionDispatchInfo? failure = null;
        var producer = Task.Run(() =>
        {
            try
            {
                foreach (var item in source)
                {
                    queue.Add(item, stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                queue.CompleteAdding();
            }
        }, CancellationToken.None);

        try
        {
            foreach (var item in queue.GetConsumingEnumerable(cancellation))
            {
                yield return item;
            }

            producer.Wait(CancellationToken.None);
            failure?.Throw();
        }
        finally
        {
            stop.Cancel();
            try
            {
                producer.Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
            }
        }
    }
}
