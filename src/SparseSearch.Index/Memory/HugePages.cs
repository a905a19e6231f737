using System.Runtime.InteropServices;

namespace SparseSearch.Index.Memory;

/// <summary>
/// Asks Linux to back a large array with 2 MiB pages (madvise MADV_HUGEPAGE; transparent huge pages are commonly in
/// "madvise" mode, so nothing happens unless asked). Approximate search reads its candidates at random across hundreds
/// of megabytes: with 4 KiB pages nearly every candidate is a TLB miss and a page walk, dearer still under a
/// hypervisor's nested paging. Advised before the array is first written, its pages are faulted in huge. Elsewhere, or
/// where the kernel refuses, it is a no-op: only speed depends on it.
/// </summary>
internal static partial class HugePages
{
    private const int MadviseHugePage = 14;
    private const long HugePage = 2L << 20;

    /// <summary>Whether any part of the array was advised (false off Linux, for small arrays, or when the call failed).</summary>
    public static unsafe bool Advise(byte[] array)
    {
        if (!OperatingSystem.IsLinux() || array.LongLength < 2 * HugePage)
        {
            return false;
        }

        // Large arrays live on the large-object heap, which is not compacted: the range stays this array's.
        fixed (byte* first = array)
        {
            var start = ((long)first + HugePage - 1) & ~(HugePage - 1);
            var end = ((long)first + array.LongLength) & ~(HugePage - 1);
            try
            {
                return end > start && Madvise((nint)start, (nuint)(end - start), MadviseHugePage) == 0;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return false;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
