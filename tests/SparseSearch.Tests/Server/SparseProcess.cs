using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SparseSearch.Tests.Server;

/// <summary>The sparse CLI as a child process (the published test copy of sparse.dll), with its output collected.</summary>
public sealed class SparseProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _error = new();

    private SparseProcess(Process process) => _process = process;

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    public static SparseProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sparse.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = new SparseProcess(Process.Start(start)!);
        process._process.OutputDataReceived += (_, _) => { };
        process._process.ErrorDataReceived += (_, e) =>
        {
            lock (process._error)
            {
                process._error.AppendLine(e.Data);
            }
        };
        process._process.BeginOutputReadLine();
        process._process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs to completion (at most <paramref name="timeout"/>) and returns the exit code.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Kill();
            throw new TimeoutException($"sparse did not exit within {timeout}: {Error}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Starts <c>sparse serve</c> on a free loopback port and waits until /health answers.</summary>
    public static async Task<(SparseProcess Process, HttpClient Client)> Serve(string index, params string[] extra)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var process = Start(["serve", "--index", index, "--urls", url, .. extra]);
        var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"sparse serve exited: {process.Error}");
            }

            try
            {
                if ((await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK)
                {
                    return (process, client);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        process.Kill();
        throw new TimeoutException($"sparse serve did not answer /health within 60 s: {process.Error}");
    }

    /// <summary>SIGKILL: no shutdown hook, no final commit.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
