using Microsoft.ML.OnnxRuntime;
using SparseSearch.Core;

namespace SparseSearch.Encoding.Models;

/// <summary>
/// Where a model runs: <c>cpu</c>, or in a build with ONNX Runtime's GPU package <c>cuda</c> / <c>cuda:N</c>, several
/// GPUs <c>cuda:0,1</c>, or every visible GPU <c>cuda:all</c> (one session per GPU).
/// </summary>
public static class OnnxSessionFactory
{
    private const string Expected = "expected cpu, cuda, cuda:N, cuda:N,M,... or cuda:all";

    /// <summary>Whether <paramref name="device"/> names a GPU (cuda, cuda:N, cuda:N,M or cuda:all).</summary>
    public static bool IsGpu(string device) => device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The GPU ids <paramref name="device"/> names, in order: cuda → [0], cuda:N → [N], cuda:0,1 → [0, 1], cuda:all →
    /// every GPU the CUDA runtime sees; empty for cpu. A malformed or repeated id is an error naming the flag.
    /// </summary>
    public static int[] GpuIds(string device)
    {
        if (device.Equals("cpu", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        if (device.Equals("cuda", StringComparison.OrdinalIgnoreCase))
        {
            return [0];
        }

        if (!device.StartsWith("cuda:", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidSettingException($"--device '{device}': {Expected}");
        }

        var list = device[5..];
        if (list.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            var answer = CudaRuntime.DeviceCount();
            return answer switch
            {
                { Count: > 0 and var count } => Enumerable.Range(0, count).ToArray(),
                { Loaded: false } => throw new InvalidSettingException(
                    $"--device {device}: the CUDA 13 runtime (libcudart.so.13) did not load, so the GPUs cannot be counted; check LD_LIBRARY_PATH or name them (cuda:0,1)"),
                _ => throw new InvalidSettingException($"--device {device}: the CUDA runtime sees no GPU (cudaGetDeviceCount: error {answer.Status}; CUDA_VISIBLE_DEVICES applies)"),
            };
        }

        var ids = list.Split(',').Select(part => int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new InvalidSettingException($"--device '{device}': '{part}' is not a GPU number ({Expected})")).ToArray();
        return ids.Distinct().Count() == ids.Length ? ids : throw new InvalidSettingException($"--device '{device}': a GPU is named twice");
    }

    /// <summary>
    /// Refuses GPU ids the CUDA runtime does not see, with the count it does see, before any session is made (ONNX
    /// Runtime would fail on the first missing one after loading the others). Where the runtime does not load, the
    /// provider's own load reports what is missing.
    /// </summary>
    private static void CheckVisible(string device, int[] gpus)
    {
        if (gpus.Length > 0 && CudaRuntime.DeviceCount() is { Count: { } count } && gpus.FirstOrDefault(id => id >= count, -1) is var missing and >= 0)
        {
            throw new InvalidSettingException($"--device {device}: there is no GPU {missing}; the CUDA runtime sees {count} (ids 0..{count - 1}; CUDA_VISIBLE_DEVICES applies)");
        }
    }

    /// <summary>One session per device <paramref name="device"/> names: the CPU's, or one per GPU.</summary>
    /// <param name="tf32">
    /// CUDA only: let float32 matrix products use TF32 tensor cores (ONNX Runtime's default). Off, a float32 graph on
    /// the GPU matches the CPU provider to float32 rounding.
    /// </param>
    /// <param name="profilePrefix">Write ONNX Runtime's per-node profile (JSON) to files starting with this (null: no profile).</param>
    public static InferenceSession[] CreateAll(string onnxPath, string device, bool tf32 = true, string? profilePrefix = null)
    {
        var gpus = GpuIds(device);
        if (gpus.Length == 0)
        {
            return [Create(onnxPath, device, null, tf32, profilePrefix)];
        }

        CheckVisible(device, gpus);
        var sessions = new List<InferenceSession>();
        try
        {
            foreach (var gpu in gpus)
            {
                sessions.Add(Create(onnxPath, device, gpu, tf32, profilePrefix is null ? null : $"{profilePrefix}-gpu{gpu}"));
            }

            return [.. sessions];
        }
        catch
        {
            sessions.ForEach(s => s.Dispose());
            throw;
        }
    }

    /// <summary>A session on the CPU or on one GPU (cuda or cuda:N).</summary>
    public static InferenceSession Create(string onnxPath, string device, bool tf32 = true, string? profilePrefix = null)
    {
        var gpus = GpuIds(device);
        CheckVisible(device, gpus);
        return gpus.Length switch
        {
            0 => Create(onnxPath, device, null, tf32, profilePrefix),
            1 => Create(onnxPath, device, gpus[0], tf32, profilePrefix),
            _ => throw new InvalidSettingException($"--device {device}: one device expected here"),
        };
    }

    private static InferenceSession Create(string onnxPath, string device, int? gpu, bool tf32, string? profilePrefix)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = Environment.ProcessorCount,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            // ONNX Runtime's own warnings (memcpy nodes added, shape operators placed on the CPU) are advice about the
            // graph, printed as colour-coded native lines into the job's structured stderr; errors still surface.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        if (profilePrefix is not null)
        {
            // The prefix first: enabling the profiler takes the prefix it has at that moment.
            options.ProfileOutputPathPrefix = profilePrefix;
            options.EnableProfiling = true;
        }

        if (gpu is { } id)
        {
            AddCuda(options, device, id, tf32);
        }

        try
        {
            return new InferenceSession(onnxPath, options);
        }
        catch (OnnxRuntimeException e) when (gpu is not null)
        {
            throw new InvalidSettingException($"--device {device}: ONNX Runtime could not run {onnxPath} on GPU {gpu}: {OneLine(e.Message)}");
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidSettingException($"cannot load {onnxPath}: {e.Message}");
        }
    }

    /// <summary>
    /// The CUDA provider: present in the GPU package's native library only. Without it (a CPU build, or a GPU build on a
    /// machine without CUDA 13 / cuDNN 9), one line says what is missing.
    /// </summary>
    private static void AddCuda(SessionOptions options, string device, int id, bool tf32)
    {
        // ONNX Runtime's own logger would print the load failure with a colour-coded native line before ours.
        var environment = OrtEnv.Instance();
        var level = environment.EnvLogLevel;
        environment.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        try
        {
            using var cuda = new OrtCUDAProviderOptions();
            cuda.UpdateOptions(new Dictionary<string, string>
            {
                ["device_id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["use_tf32"] = tf32 ? "1" : "0",
            });
            options.AppendExecutionProvider_CUDA(cuda);
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            var cpuBuild = e.Message.Contains("not enabled", StringComparison.OrdinalIgnoreCase) || e is EntryPointNotFoundException;
            throw new InvalidSettingException(cpuBuild
                ? $"--device {device}: this build runs models on the CPU only. Build with ONNX Runtime's CUDA package: dotnet publish src/SparseSearch.Cli -c Release -r linux-x64 --self-contained -p:OnnxRuntimeGpu=true (Microsoft.ML.OnnxRuntime.Gpu.Linux 1.31.0; needs CUDA 13 and cuDNN 9 on the machine), then pass --device cuda:{id}"
                : $"--device {device}: the CUDA provider did not load (it needs CUDA 13 and cuDNN 9: libcudart.so.13, libcublasLt.so.13, libcublas.so.13, libcurand.so.10, libcudnn.so.9 on LD_LIBRARY_PATH): {OneLine(e.Message)}");
        }
        finally
        {
            environment.EnvLogLevel = level;
        }
    }

    /// <summary>A native error message on one line (ONNX Runtime's span several).</summary>
    internal static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
