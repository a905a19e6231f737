using System.Diagnostics;
using SparseSearch.Encoding;
using SparseSearch.Evaluation.Beir;
using SparseSearch.Evaluation.Metrics;
using SparseSearch.Index;
using SparseSearch.Index.Impact;
using Xunit.Abstractions;

namespace SparseSearch.Tests.Index;

/// <summary>
/// Reference: a clean, uninterrupted build of CACM. An indexing job run as a child process is killed with SIGKILL at
/// seeded random moments, rerun each time, and finally run to completion; the result must equal the clean build.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public void Killed_and_rerun_indexing_ends_with_exactly_the_clean_index()
    {
        using var directory = TestPaths.Temporary();
        var cacm = TestPaths.Dataset("cacm");
        var clean = directory.Combine("clean");
        var encoder = EncoderCatalog.Resolve("bm25", new EncoderOptions());
        IndexBuilder.Build(new BeirCorpus(BeirDataset.FindCorpus(cacm)), encoder, clean,
            new IndexBuildOptions { QuantizationScale = encoder.DefaultQuantizationScale });

        var killed = directory.Combine("killed");
        string[] job = ["index", "--dataset", cacm, "--encoder", "bm25", "--index", killed, "--commit-every", "256", "--batch-size", "256"];
        var random = new Random(20261123);
        var killsAfterProgress = 0;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            // The first kill lands early (often before any commit); the others land a random moment after the job
            // has committed progress beyond the previous run's, so resuming from a commit is exercised every time.
            var before = attempt == 0 ? long.MaxValue : CommittedRecords(killed);
            var extraDelay = TimeSpan.FromMilliseconds(random.Next(0, 500));
            var (exit, wasKilled, after) = RunSparse(job, () => attempt == 0 || CommittedRecords(killed) > before, attempt == 0 ? TimeSpan.FromMilliseconds(random.Next(200, 800)) : extraDelay);
            killsAfterProgress += wasKilled && attempt > 0 ? 1 : 0;
            output.WriteLine($"run {attempt}: {(wasKilled ? "SIGKILL" : $"finished with exit {exit}")}; committed records before {Format(before)}, at kill {Format(after)}, after {Format(CommittedRecords(killed))}");
        }

        var (finalExit, _, _) = RunSparse(job, () => false, TimeSpan.Zero);
        Assert.Equal(0, finalExit);
        Assert.True(killsAfterProgress >= 2, $"only {killsAfterProgress} runs were killed after committing progress: the test did not exercise recovery");

        var expected = ImpactIndexInspector.ReadVectors(clean);
        var actual = ImpactIndexInspector.ReadVectors(killed);
        Assert.Equal(3204, actual.Count);
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (id, vector) in expected)
        {
            Assert.Equal(vector, actual[id]);
        }

        Assert.Equal(IndexManifest.Read(clean).DocumentCount, IndexManifest.Read(killed).DocumentCount);
        using var cleanEngine = SearchEngines.Open(clean, "bm25", new EncoderOptions());
        using var killedEngine = SearchEngines.Open(killed, "bm25", new EncoderOptions());
        foreach (var query in BeirQueries.Load(BeirDataset.Open(cacm).QueriesPath))
        {
            // Internal doc order differs after a resumed build; over every hit, trec_eval order (ties by id) does not.
            Assert.Equal(RankedList.TrecOrder(cleanEngine.Search(query.Text, 5000)), RankedList.TrecOrder(killedEngine.Search(query.Text, 5000)));
        }
    }

    /// <summary>Records the latest commit of the interrupted build says are durable; -1 when there is none.</summary>
    private static long CommittedRecords(string index)
    {
        var partial = index + IndexBuilder.PartialSuffix;
        try
        {
            return Directory.Exists(partial) ? IndexJob.ReadLatest(partial)?.Consumed ?? -1 : -1;
        }
        catch (IOException)
        {
            return -1; // a commit being written right now
        }
    }

    private static string Format(long records) => records switch { long.MaxValue => "-", < 0 => "none", _ => records.ToString() };

    /// <summary>
    /// Runs the sparse CLI in a child process. Once <paramref name="killWhen"/> holds, waits <paramref name="delay"/> and
    /// kills it with SIGKILL (whole tree) if it is still running; returns the committed records seen at that moment.
    /// </summary>
    private static (int Exit, bool Killed, long CommittedAtKill) RunSparse(string[] args, Func<bool> killWhen, TimeSpan delay)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sparse.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (!process.HasExited && deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (killWhen())
            {
                if (process.WaitForExit(delay))
                {
                    break;
                }

                var committed = CommittedRecords(args[Array.IndexOf(args, "--index") + 1]);
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return (-1, true, committed);
            }

            Thread.Sleep(20);
        }

        process.WaitForExit();
        return (process.ExitCode, false, -1);
    }
}
