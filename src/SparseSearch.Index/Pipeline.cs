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

    /// <summary>
    /// Maps <paramref name="source"/> with up to <paramref name="degree"/> items in flight at once, yielding results in
    /// source order: on a GPU, the next chunk's tokenizing (every core) runs while this chunk's batches are on the device.
    /// Degree 1 maps one item at a time. The map's exception reaches the consumer at its item.
    /// </summary>
    public static IEnumerable<TOut> MapOrdered<TIn, TOut>(IEnumerable<TIn> source, Func<TIn, TOut> map, int degree, CancellationToken cancellation)
    {
        var inFlight = new Queue<Task<TOut>>();
        foreach (var item in source)
        {
            if (inFlight.Count >= Math.Max(1, degree))
            {
                yield return inFlight.Dequeue().GetAwaiter().GetResult();
            }

            inFlight.Enqueue(Task.Run(() => map(item), cancellation));
        }

        while (inFlight.Count > 0)
        {
            yield return inFlight.Dequeue().GetAwaiter().GetResult();
        }
    }
}
