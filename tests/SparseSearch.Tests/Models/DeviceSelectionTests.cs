using SparseSearch.Core;
using SparseSearch.Encoding.Models;

namespace SparseSearch.Tests.Models;

/// <summary>
/// --device names one or several GPUs (data-parallel encoding); batches go to the least busy one.
/// </summary>
public class DeviceSelectionTests
{
    [Theory]
    [InlineData("cpu", new int[0])]
    [InlineData("CPU", new int[0])]
    [InlineData("cuda", new[] { 0 })]
    [InlineData("cuda:3", new[] { 3 })]
    [InlineData("cuda:0,1", new[] { 0, 1 })]
    [InlineData("cuda:2,0,1", new[] { 2, 0, 1 })]
    public void Device_names_give_their_gpu_ids_in_order(string device, int[] expected) => Assert.Equal(expected, OnnxSessionFactory.GpuIds(device));

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:x")]
    [InlineData("cuda:0,")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:0,0")]
    [InlineData("cuda0")]
    public void Malformed_devices_are_refused_naming_the_flag(string device)
    {
        var error = Assert.Throws<InvalidSettingException>(() => OnnxSessionFactory.GpuIds(device));
        Assert.Contains("--device", error.Message);
    }

    [Fact]
    public void Cuda_all_counts_the_visible_gpus_or_says_why_it_cannot()
    {
        // Without the CUDA 13 runtime (CI) the count cannot be taken and the error says so; with it, every GPU it sees.
        try
        {
            var ids = OnnxSessionFactory.GpuIds("cuda:all");
            Assert.NotEmpty(ids);
            Assert.Equal(Enumerable.Range(0, ids.Length), ids);
        }
        catch (InvalidSettingException e)
        {
            Assert.Matches("libcudart.so.13|sees no GPU", e.Message);
        }
    }

    [Fact]
    public void The_gpu_memory_sampler_reports_a_peak_only_where_the_cuda_runtime_answers()
    {
        using var sampler = new GpuMemorySampler([0]);
        Thread.Sleep(3 * GpuMemorySampler.IntervalMs);
        var peak = Assert.Single(sampler.PeakMiB);
        Assert.Equal(0, peak.Key);
        if (!CudaAnswers())
        {
            Assert.Null(peak.Value);
        }
        else
        {
            Assert.True(peak.Value > 0);
        }
    }

    private static bool CudaAnswers()
    {
        try
        {
            return OnnxSessionFactory.GpuIds("cuda:all").Length > 0;
        }
        catch (InvalidSettingException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Runs_go_to_the_runner_with_the_fewest_in_flight()
    {
        using var pool = new DevicePool<Runner>([new Runner(0), new Runner(1)]);
        var release = new ManualResetEventSlim();
        var chosen = new List<int>();
        var runs = new List<Task>();
        for (var i = 0; i < 5; i++)
        {
            var entered = new SemaphoreSlim(0);
            runs.Add(Task.Run(() => pool.Run(runner =>
            {
                lock (chosen)
                {
                    chosen.Add(runner.Id);
                }

                entered.Release();
                release.Wait();
                return runner.Id;
            })));
            // Each run is inside its runner before the next one chooses.
            Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        Assert.Equal([0, 1, 0, 1, 0], chosen);
        release.Set();
        await Task.WhenAll(runs);
        // All idle again: the first runner is chosen.
        Assert.Equal(0, pool.Run(runner => runner.Id));
    }

    [Fact]
    public void Lanes_run_each_runner_on_its_own_few_threads_whoever_calls()
    {
        // Many caller threads, two runners of two lanes each: every run must execute on one of the four lane threads
        // (the CUDA provider's per-thread state is made once per lane), results and failures must reach the caller.
        using var pool = new DevicePool<Runner>([new Runner(0), new Runner(1)], lanesPerRunner: 2, name: "test");
        var threadsByRunner = new[] { new HashSet<int>(), new HashSet<int>() };
        var callers = new HashSet<int>();
        var wrong = new List<string>();
        // Callers on threads of their own: the test host's thread pool may give a Parallel.For a single thread.
        var threads = Enumerable.Range(0, 8).Select(c => new Thread(() =>
        {
            lock (callers)
            {
                callers.Add(Environment.CurrentManagedThreadId);
            }

            for (var i = c * 50; i < (c + 1) * 50; i++)
            {
                var result = pool.Run(runner =>
                {
                    lock (threadsByRunner)
                    {
                        threadsByRunner[runner.Id].Add(Environment.CurrentManagedThreadId);
                    }

                    // Long enough that runs overlap and both runners get some.
                    Thread.Sleep(1);
                    return (runner.Id, Thread.CurrentThread.Name, i * 2);
                });
                // Asserted on the test's thread: a failure on this one would take the test host down.
                if (result.Item3 != i * 2 || result.Name?.StartsWith($"test{result.Id}-lane", StringComparison.Ordinal) != true)
                {
                    lock (wrong)
                    {
                        wrong.Add($"run {i}: {result}");
                    }
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Empty(wrong);
        Assert.All(threadsByRunner, threads => Assert.InRange(threads.Count, 1, 2));
        Assert.Empty(threadsByRunner[0].Intersect(threadsByRunner[1]));
        Assert.Empty(callers.Intersect(threadsByRunner.SelectMany(t => t)));

        var failure = Assert.Throws<InvalidOperationException>(() => pool.Run<int>(_ => throw new InvalidOperationException("bad batch")));
        Assert.Equal("bad batch", failure.Message);

        // The warm-up reaches every lane: four distinct lane threads.
        var warmed = new HashSet<string>();
        pool.OnEveryLane(_ =>
        {
            lock (warmed)
            {
                warmed.Add(Thread.CurrentThread.Name!);
            }
        });
        Assert.Equal(["test0-lane0", "test0-lane1", "test1-lane0", "test1-lane1"], warmed.Order());
    }

    [Fact]
    public async Task A_cpu_only_build_refuses_several_gpus_with_one_line()
    {
        var (code, _, error) = await Cli.SparseCli.Run("encode", "--model", ModelFidelityTests.ModelDirectory("tiny-splade"), "--device", "cuda:0,1", "--text", "x");
        Assert.Equal(2, code);
        Assert.Contains("-p:OnnxRuntimeGpu=true", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    private sealed record Runner(int Id) : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
