using System.Collections.Concurrent;

namespace SparseSearch.Encoding.Models;

/// <summary>
/// One runner per device (an ONNX Runtime session for the CPU, or one per GPU of <c>cuda:0,1</c>): each run goes to
/// the runner with the fewest runs in flight, so batches spread over the GPUs as they finish rather than in a fixed
/// rotation that one long batch would stall. Runners accept concurrent runs.
/// <para>
/// With <c>lanesPerRunner</c> &gt; 0 each runner's runs execute on that many dedicated threads (its lanes) instead of
/// the caller's. ONNX Runtime's CUDA provider keeps per-thread state (cuBLAS and cuDNN handles, made on a thread's first
/// run); pool threads come and go, so runs made from them kept paying that set-up, most of all in a job's first chunk,
/// and held GPU memory for every thread that ever ran. Lanes make it once per lane.
/// </para>
/// </summary>
internal sealed class DevicePool<T> : IDisposable
    where T : IDisposable
{
    private readonly T[] _runners;
    private readonly int[] _inFlight;
    private readonly Lane[][] _lanes;

    /// <param name="lanesPerRunner">Dedicated threads per runner; 0 runs on the caller's thread.</param>
    /// <param name="name">Names the lanes' threads (with the runner and lane number), for debuggers and profilers.</param>
    public DevicePool(T[] runners, int lanesPerRunner = 0, string name = "device")
    {
        if (runners.Length == 0)
        {
            throw new ArgumentException("at least one runner", nameof(runners));
        }

        _runners = runners;
        _inFlight = new int[runners.Length];
        _lanes = runners.Select((_, r) => Enumerable.Range(0, lanesPerRunner).Select(l => new Lane($"{name}{r}-lane{l}")).ToArray()).ToArray();
    }

    public int Count => _runners.Length;

    /// <summary>The first runner: what every runner shares (a graph's inputs and outputs) is read from it.</summary>
    public T First => _runners[0];

    public IReadOnlyList<T> All => _runners;

    /// <summary>Runs <paramref name="run"/> on the least busy runner (on one of its lanes, if it has them) and returns its result.</summary>
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
            var lanes = _lanes[chosen];
            if (lanes.Length == 0)
            {
                return run(_runners[chosen]);
            }

            var lane = lanes[0];
            foreach (var other in lanes)
            {
                if (other.Waiting < lane.Waiting)
                {
                    lane = other;
                }
            }

            var runner = _runners[chosen];
            TResult result = default!;
            lane.Execute(() => result = run(runner));
            return result;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight[chosen]);
        }
    }

    /// <summary>
    /// Runs <paramref name="run"/> once on every lane of every runner, all at once, and waits (a warm-up); once per
    /// runner where there are no lanes. Failures come back as one <see cref="AggregateException"/>.
    /// </summary>
    public void OnEveryLane(Action<T> run) =>
        Task.WaitAll(_runners.SelectMany((runner, r) => _lanes[r].Length == 0
            ? [Task.Run(() => run(runner))]
            : _lanes[r].Select(lane => lane.Post(() => run(runner)))).ToArray());

    public void Dispose()
    {
        // Lanes first: their threads' per-thread provider state goes with them, before the sessions it belongs to.
        foreach (var lane in _lanes.SelectMany(l => l))
        {
            lane.Dispose();
        }

        foreach (var runner in _runners)
        {
            runner.Dispose();
        }
    }

    /// <summary>A dedicated thread running submitted work in order; the submitter waits for its own item.</summary>
    private sealed class Lane : IDisposable
    {
        private readonly BlockingCollection<(Action Work, TaskCompletionSource Done)> _queue = [];
        private readonly Thread _thread;
        private int _waiting;

        public Lane(string name)
        {
            _thread = new Thread(Loop) { IsBackground = true, Name = name };
            _thread.Start();
        }

        /// <summary>Items submitted and not yet finished.</summary>
        public int Waiting => Volatile.Read(ref _waiting);

        /// <summary>Runs <paramref name="work"/> on this lane and waits for it; its exception, if any, is rethrown here.</summary>
        public void Execute(Action work)
        {
            Interlocked.Increment(ref _waiting);
            try
            {
                Post(work).GetAwaiter().GetResult();
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }

        /// <summary>Queues <paramref name="work"/> on this lane; the task ends with it.</summary>
        public Task Post(Action work)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _queue.Add((work, done));
            return done.Task;
        }

        private void Loop()
        {
            foreach (var (work, done) in _queue.GetConsumingEnumerable())
            {
                try
                {
                    work();
                    done.SetResult();
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            }
        }

        public void Dispose()
        {
            _queue.CompleteAdding();
            _thread.Join();
            _queue.Dispose();
        }
    }
}
