using Microsoft.ML.OnnxRuntime;
using SparseSearch.Core;

namespace SparseSearch.Encoding.Models;

/// <summary>Where a model runs: <c>cpu</c>, or <c>cuda</c> / <c>cuda:N</c> in a build with ONNX Runtime's GPU package.</summary>
public static class OnnxSessionFactory
{
    public static InferenceSession Create(string onnxPath, string device)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = Environment.ProcessorCount,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        if (device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase))
        {
            var id = device.Length > 5 && device[4] == ':' && int.TryParse(device[5..], out var n) ? n
                : device.Length == 4 ? 0 : throw new InvalidSettingException($"--device '{device}': expected cpu, cuda or cuda:N");
#if ONNXRUNTIME_GPU
            options.AppendExecutionProvider_CUDA(id);
#else
            throw new InvalidSettingException(
                $"--device {device}: this build runs models on the CPU only. Build with ONNX Runtime's CUDA package: " +
                "dotnet build -c Release -p:OnnxRuntimeGpu=true (needs Microsoft.ML.OnnxRuntime.Gpu 1.31.1 from NuGet, CUDA 12 and cuDNN 9), then pass --device cuda:" + id);
#endif
        }
        else if (!device.Equals("cpu", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidSettingException($"--device '{device}': expected cpu, cuda or cuda:N");
        }

        try
        {
            return new InferenceSession(onnxPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidSettingException($"cannot load {onnxPath}: {e.Message}");
        }
    }
}
