using System.Runtime.InteropServices;

namespace SparseSearch.Encoding.Models;

/// <summary>
/// The one question asked of the CUDA runtime directly: how many GPUs this process sees (for <c>--device cuda:all</c>;
/// CUDA_VISIBLE_DEVICES applies). ONNX Runtime's provider links the same libcudart.so.13, so nothing extra ships.
/// </summary>
internal static class CudaRuntime
{
    private static readonly string[] Libraries = ["libcudart.so.13", "cudart64_13.dll"];

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int GetDeviceCount(out int count);

    /// <summary>The number of visible GPUs, or null where the CUDA 13 runtime cannot be loaded or answers an error.</summary>
    public static int? DeviceCount()
    {
        foreach (var library in Libraries)
        {
            if (NativeLibrary.TryLoad(library, out var handle) && NativeLibrary.TryGetExport(handle, "cudaGetDeviceCount", out var export))
            {
                var status = Marshal.GetDelegateForFunctionPointer<GetDeviceCount>(export)(out var count);
                return status == 0 ? count : null;
            }
        }

        return null;
    }
}
