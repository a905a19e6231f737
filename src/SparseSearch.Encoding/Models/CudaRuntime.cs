using System.Runtime.InteropServices;

namespace SparseSearch.Encoding.Models;

/// <summary>
/// The one question asked of the CUDA runtime directly: how many GPUs this process sees (for <c>--device cuda:all</c>,
/// and to name a missing GPU before ONNX Runtime fails on it; CUDA_VISIBLE_DEVICES applies). ONNX Runtime's provider
/// links the same libcudart.so.13, so nothing extra ships.
/// </summary>
internal static class CudaRuntime
{
    private static readonly string[] Libraries = ["libcudart.so.13", "cudart64_13.dll"];

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int GetDeviceCount(out int count);

    /// <summary>What the CUDA runtime says: a GPU count, or why there is none.</summary>
    /// <param name="Count">Visible GPUs; null when the runtime did not load or answered an error.</param>
    /// <param name="Loaded">Whether the CUDA 13 runtime library loaded at all.</param>
    /// <param name="Status">The runtime's error code when it answered one (100: no CUDA-capable device).</param>
    public readonly record struct DeviceCountAnswer(int? Count, bool Loaded, int Status);

    public static DeviceCountAnswer DeviceCount()
    {
        foreach (var library in Libraries)
        {
            if (NativeLibrary.TryLoad(library, out var handle) && NativeLibrary.TryGetExport(handle, "cudaGetDeviceCount", out var export))
            {
                var status = Marshal.GetDelegateForFunctionPointer<GetDeviceCount>(export)(out var count);
                return new DeviceCountAnswer(status == 0 ? count : null, true, status);
            }
        }

        return new DeviceCountAnswer(null, false, 0);
    }
}
