namespace SparseSearch.Encoding.Models;

/// <summary>
/// Samples the memory in use on the given GPUs every <see cref="IntervalMs"/> ms on a background thread while it lives,
/// keeping each one's peak: what <c>sparse models bench --device cuda</c> reports as peak GPU memory. Counts every
/// process on the device, as nvidia-smi does; reports nothing where the CUDA runtime does not answer.
/// </summary>
public sealed class GpuMemorySampler : IDisposable
{
    public const int IntervalMs = 100;

    private readonly int[] _devices;
    private readonly long[] _peaks;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public GpuMemorySampler(IReadOnlyList<int> devices)
    {
        _devices = [.. devices];
        _peaks = new long[_devices.Length];
        _thread = new Thread(Sample) { IsBackground = true, Name = "gpu-memory-sampler" };
        _thread.Start();
    }

    /// <summary>Each GPU's peak in MiB so far (null entries where the runtime did not answer).</summary>
    public IReadOnlyDictionary<int, double?> PeakMiB
    {
        get
        {
            lock (_peaks)
            {
                return _devices.Select((device, i) => (device, peak: _peaks[i])).ToDictionary(e => e.device, e => e.peak > 0 ? e.peak / 1048576.0 : (double?)null);
            }
        }
    }

    private void Sample()
    {
        do
        {
            for (var i = 0; i < _devices.Length; i++)
            {
                if (CudaRuntime.MemoryInUse(_devices[i]) is { } used)
                {
                    lock (_peaks)
                    {
                        _peaks[i] = Math.Max(_peaks[i], used);
                    }
                }
            }
        }
        while (!_stop.Token.WaitHandle.WaitOne(IntervalMs));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }
}
