using System.Runtime.InteropServices;

namespace SparseSearch.Encoding.Models;

/// <summary>
/// The few questions asked of the CUDA runtime directly: how many GPUs this process sees (for <c>--device cuda:all</c>,
/// and to name a missing GPU before ONNX Runtime fails on it; CUDA_VISIBLE_DEVICES applies) and how much of a GPU's
/// memory is in use (the model bench's peak). ONNX Runtime's provider links the same libcudart.so.13, so nothing extra
/// ships.
/// </summary>
internal static class CudaRuntime
{
    private static readonly string[] Libraries = ["libcudart.so.13", "cudart64_13.dll"];

    private static readonly Lazy<IntPtr> Library = new(() =>
        Libraries.Select(name => NativeLibrary.TryLoad(name, out var handle) ? handle : IntPtr.Zero).FirstOrDefault(h => h != IntPtr.Zero));

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int GetDeviceCount(out int count);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetDevice(int device);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int MemGetInfo(out nuint free, out nuint total);

    /// <summary>What the CUDA runtime says: a GPU count, or why there is none.</summary>
    /// <param name="Count">Visible GPUs; null when the runtime did not load or answered an error.</param>
    /// <param name="Loaded">Whether the CUDA 13 runtime library loaded at all.</param>
    /// <param name="Status">The runtime's error code when it answered one (100: no CUDA-capable device).</param>
    public readonly record struct DeviceCountAnswer(int? Count, bool Loaded, int Status);

    /// <summary>Asked once per process: the GPUs a process sees do not change while it runs.</summary>
    public static DeviceCountAnswer DeviceCount() => Count.Value;

    /// <summary>
    /// Bytes of GPU <paramref name="device"/>'s memory in use, by every process (as nvidia-smi counts), or null where
    /// the runtime does not answer. Selects that device on the calling thread.
    /// </summary>
    public static long? MemoryInUse(int device)
    {
        if (SelectDevice.Value is not { } select || MemoryInfo.Value is not { } info || select(device) != 0)
        {
            return null;
        }

        return info(out var free, out var total) == 0 ? (long)(total - free) : null;
    }

    private static readonly Lazy<DeviceCountAnswer> Count = new(() =>
    {
        if (Function<GetDeviceCount>("cudaGetDeviceCount") is not { } count)
        {
            return new DeviceCountAnswer(null, false, 0);
        }

        var status = count(out var devices);
        return new DeviceCountAnswer(status == 0 ? devices : null, true, status);
    });

    private static readonly Lazy<SetDevice?> SelectDevice = new(() => Function<SetDevice>("cudaSetDevice"));

    private static readonly Lazy<MemGetInfo?> MemoryInfo = new(() => Function<MemGetInfo>("cudaMemGetInfo"));

    private static T? Function<T>(string name)
        where T : Delegate =>
        Library.Value != IntPtr.Zero && NativeLibrary.TryGetExport(Library.Value, name, out var export) ? Marshal.GetDelegateForFunctionPointer<T>(export) : null;
}
