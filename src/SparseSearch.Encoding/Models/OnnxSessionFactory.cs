using Microsoft.ML.OnnxRuntime;
using SparseSearch.Core;

namespace SparseSearch.Encoding.Models;

/// <summary>Where a model runs: <c>cpu</c>, or <c>cuda</c> / <c>cuda:N</c> in a build with ONNX Runtime's GPU package.</summary>
public static class OnnxSessionFactory
{
    /// <param name="tf32">
    /// CUDA only: let float32 matrix products use TF32 tensor cores (ONNX Runtime's default). Off, a float32 graph on
    /// the GPU matches the CPU provider to float32 rounding.
    /// </param>
    /// <summary>Whether <paramref name="device"/> names a GPU (cuda or cuda:N).</summary>
    public static bool IsGpu(string device) => device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase);

    /// <param name="profilePrefix">Write ONNX Runtime's per-node profile (JSON) to files starting with this (null: no profile).</param>
    public static InferenceSession Create(string onnxPath, string device, bool tf32 = true, string? profilePrefix = null)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = Environment.ProcessorCount,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        if (profilePrefix is not null)
        {
            // The prefix first: enabling the profiler takes the prefix it has at that moment.
            options.ProfileOutputPathPrefix = profilePrefix;
            options.EnableProfiling = true;
        }

        if (IsGpu(device))
        {
            var id = device.Length > 5 && device[4] == ':' && int.TryParse(device[5..], out var n) ? n
                : device.Length == 4 ? 0 : throw new InvalidSettingException($"--device '{device}': expected cpu, cuda or cuda:N");
            AddCuda(options, device, id, tf32);
        }
        else if (!device.Equals("cpu", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidSettingException($"--device '{device}': expected cpu, cuda or cuda:N");
        }

        try
        {
            return new InferenceSession(onnxPath, options);
        }
        catch (OnnxRuntimeException e) when (IsGpu(device))
        {
            throw new InvalidSettingException($"--device {device}: ONNX Runtime could not run {onnxPath} on the GPU: {OneLine(e.Message)}");
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

    private static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
