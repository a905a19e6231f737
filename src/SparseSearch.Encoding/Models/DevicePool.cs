namespace SparseSearch.Encoding.Models;

/// <summary>
/// One runner per device (an ONNX Runtime session for the CPU, or one per GPU of <c>cuda:0,1</c>): each run goes to
/// the runner with the fewest runs in flight, so batches spread over the GPUs as they finish rather than in a fixed
/// rotation that one long batch would stall. Runners accept concurrent runs; nothing here blocks.
/// </summary>
internal sealed class DevicePool<T> : IDisposable
    where T : IDisposable
{
    private readonly T[] _runners;
    private readonly int[] _inFlight;

    public DevicePool(T[] runners)
    {
        if (runners.Length == 0)
        {
            throw new ArgumentException("at least one runner", nameof(runners));
        }

        _runners = runners;
        _inFlight = new int[runners.Length];
    }

    public int Count => _runners.Length;

    /// <summary>The first runner: what every runner shares (a graph's inputs and outputs) is read from it.</summary>
    public T First => _runners[0];

    public IReadOnlyList<T> All => _runners;

    public TResult Run<TResult>(Func<T, TResult> run)
    {
        var chosen = 0;
        for (var i = 1; i < _inFlight.Length; i++)
        {
            if (Volatile.Read(ref _inFlight[i]) < Volatile.Read(ref _inFlight[chosen]))
            {
                chosen = i;
            }
        }

        Interlocked.Increment(ref _inFlight[chosen]);
        try
        {
            return run(_runners[chosen]);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight[chosen]);
        }
    }

    public void Dispose()
    {
        foreach (var runner in _runners)
        {
            runner.Dispose();
        }
    }
}
