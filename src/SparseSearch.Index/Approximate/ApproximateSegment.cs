using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SparseSearch.Index.Approximate;

/// <summary>One segment's approximate-search structures, read once when the segment opens and immutable after.</summary>
public sealed class ApproximateSegment(int maxDoc, PrunedLists pruned, ForwardIndex? forward)
{
    public int MaxDoc { get; } = maxDoc;

    public PrunedLists Pruned { get; } = pruned;

    /// <summary>Null when the segment's forward index would not fit one array: such a segment is searched exactly.</summary>
    public ForwardIndex? Forward { get; } = forward;

    public long Bytes => Pruned.Bytes + (Forward?.Bytes ?? 0);
}

/// <summary>
/// Each term's highest-impact postings in document order, document gaps VInt-coded, impacts rounded up to bytes of a
/// per-term step: they only choose candidates, whose scores the forward index then computes exactly.
/// </summary>
public sealed class PrunedLists(int[] postingStarts, int[] byteStarts, byte[] gaps, byte[] impacts, int[] steps)
{
    public int TermCount => steps.Length;

    public long Bytes => (4L * (postingStarts.Length + byteStarts.Length + steps.Length)) + gaps.Length + impacts.Length;

    public int Step(int term) => steps[term];

    public int Count(int term) => postingStarts[term + 1] - postingStarts[term];

    /// <summary>Adds the term's kept postings to <paramref name="counts"/> by quantized impact byte (256 entries).</summary>
    public void CountImpacts(int term, Span<int> counts)
    {
        foreach (var impact in impacts.AsSpan(postingStarts[term], Count(term)))
        {
            counts[impact]++;
        }
    }

    /// <summary>Hints the CPU to fetch the term's kept postings (gaps and impact bytes) into cache; no effect where unsupported.</summary>
    public unsafe void Prefetch(int term)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            return;
        }

        Lines(gaps, byteStarts[term], byteStarts[term + 1]);
        Lines(impacts, postingStarts[term], postingStarts[term + 1]);

        static void Lines(byte[] bytes, int from, int to)
        {
            ref var first = ref MemoryMarshal.GetArrayDataReference(bytes);
            for (var at = from; at < to; at += 64)
            {
                System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref first, at)));
            }
        }
    }

    /// <summary>A cursor on the term's first kept posting (<see cref="PostingCursor.Doc"/> is int.MaxValue when it has none).</summary>
    public PostingCursor Open(int term)
    {
        var cursor = new PostingCursor { At = byteStarts[term], End = byteStarts[term + 1], Impact = postingStarts[term] - 1, Doc = 0 };
        Next(ref cursor);
        return cursor;
    }

    /// <summary>
    /// Adds <paramref name="weight"/> × quantized impact of each posting before document <paramref name="limit"/> to
    /// <paramref name="sums"/> (indexed from <paramref name="windowBase"/>) and appends its slot there to
    /// <paramref name="slots"/> from <paramref name="slotCount"/> on, leaving the cursor on the first posting at or after
    /// the limit.
    /// </summary>
    /// <returns>The slots appended so far (<paramref name="slotCount"/> and this call's).</returns>
    public int AddUntil(ref PostingCursor cursor, int limit, long weight, Span<long> sums, int windowBase, Span<int> slots, int slotCount)
    {
        var doc = cursor.Doc;
        var at = cursor.At;
        var impact = cursor.Impact;
        var end = cursor.End;
        while (doc < limit)
        {
            var slot = doc - windowBase;
            sums[slot] += weight * impacts[impact];
            slots[slotCount++] = slot;
            if (at >= end)
            {
                doc = int.MaxValue;
                break;
            }

            doc += ReadGap(ref at);
            impact++;
        }

        cursor = new PostingCursor { At = at, End = end, Impact = impact, Doc = doc };
        return slotCount;
    }

    private void Next(ref PostingCursor cursor)
    {
        if (cursor.At >= cursor.End)
        {
            cursor.Doc = int.MaxValue;
            return;
        }

        cursor.Doc += ReadGap(ref cursor.At);
        cursor.Impact++;
    }

    /// <summary>One VInt document gap at <paramref name="at"/>, which moves past it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ReadGap(ref int at)
    {
        int gap = gaps[at++];
        if (gap < 0x80)
        {
            return gap;
        }

        gap &= 0x7F;
        var shift = 7;
        int b;
        do
        {
            b = gaps[at++];
            gap |= (b & 0x7F) << shift;
            shift += 7;
        }
        while (b >= 0x80);
        return gap;
    }
}

/// <summary>Where a reading of one term's pruned list stands: its next posting's document and where its bytes are.</summary>
public struct PostingCursor
{
    internal int At;
    internal int End;
    internal int Impact;

    /// <summary>The next posting's document; int.MaxValue once the list is read.</summary>
    public int Doc;
}

/// <summary>
/// Every document's terms (segment ordinals, ascending; 16 bits each when the segment has at most 65,536 terms) and
/// exact impacts (a byte each; 255 marks an impact of 255 or more, whose ordinal and excess the run lists after its
/// impact bytes), each document one contiguous run (<see cref="ForwardIndexFormat"/>). A candidate's exact score is one
/// branch-free pass over its entries against a dense array of the query's weights, then its few excesses: variable-length
/// codes measured slower, their length tests mispredicting on nearly every entry; a map from ordinal to a small table
/// of the query's weights (L1-resident, but a second, dependent load per entry) gained at most 10%, within this
/// machine's swing, for a second code path. Candidates lie anywhere in hundreds of megabytes, so
/// <see cref="Prefetch"/> asks for the next ones' memory while the current one is scored.
/// </summary>
/// <param name="exceptionAt">
/// Ascending: where in <paramref name="blob"/> the ordinal of each impact of 255 or more lies, for the documents whose
/// excesses do not fit their run (<see cref="Many"/>).
/// </param>
public sealed class ForwardIndex(int[] starts, byte[] blob, int width, int[] exceptionAt, int[] exceptionImpact)
{
    public const byte None = 0;
    public const byte NarrowTerms = 1;
    public const byte WideTerms = 2;
    public const int Escape = byte.MaxValue;

    /// <summary>A run's first byte when its document's impacts of 255 or more are in the exception list instead.</summary>
    public const int Many = byte.MaxValue;

    public long Bytes => (4L * starts.Length) + blob.Length + (8L * exceptionAt.Length);

    /// <summary>Hints the CPU to fetch a document's entries (and a later one's start) into cache; no effect where unsupported.</summary>
    public unsafe void Prefetch(int doc, int laterDoc)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            return;
        }

        // Large arrays live on the large-object heap, which is not compacted: the addresses stay valid, and a stale
        // hint would only be wasted.
        System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref starts[laterDoc]));
        var start = starts[doc];
        var length = starts[doc + 1] - start;
        ref var first = ref MemoryMarshal.GetArrayDataReference(blob);
        for (var offset = 0; offset < length; offset += 64)
        {
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref first, start + offset)));
        }
    }

    /// <summary>The exact fixed-point dot product of document <paramref name="doc"/> with the query weights by term ordinal (0 elsewhere).</summary>
    public long Score(int doc, long[] weightByTerm)
    {
        var start = starts[doc];
        int escapes = blob[start];
        var inline = escapes == Many ? 0 : escapes;
        ref var weights = ref MemoryMarshal.GetArrayDataReference(weightByTerm);
        ref var entries = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(blob), start + 1);
        var length = starts[doc + 1] - start - 1;
        long score;
        int count;
        if (width == 2)
        {
            count = (length - (inline * 4)) / 3;
            score = NarrowSum(ref entries, count, ref weights);
            // Each capped entry's ordinal and excess over the 255 its impact byte counted.
            ref var excess = ref Unsafe.Add(ref entries, count * 3);
            for (var k = 0; k < inline; k++)
            {
                var term = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref excess, 4 * k));
                score += Unsafe.Add(ref weights, term) * Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref excess, (4 * k) + 2));
            }
        }
        else
        {
            count = (length - (inline * 6)) / 5;
            ref var impacts = ref Unsafe.Add(ref entries, count * 4);
            score = 0;
            for (var e = 0; e < count; e++)
            {
                score += Unsafe.Add(ref weights, Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref entries, 4 * e))) * Unsafe.Add(ref impacts, e);
            }

            ref var excess = ref Unsafe.Add(ref impacts, count);
            for (var k = 0; k < inline; k++)
            {
                var term = Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref excess, 6 * k));
                score += Unsafe.Add(ref weights, term) * Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref excess, (6 * k) + 4));
            }
        }

        return escapes == Many ? score + Exceptions(start + 1, start + 1 + (count * width), weightByTerm) : score;
    }

    /// <summary>Σ weight × impact byte over a narrow run's <paramref name="count"/> entries (16-bit ordinals, then impact bytes).</summary>
    private static long NarrowSum(ref byte entries, int count, ref long weights)
    {
        ref var impacts = ref Unsafe.Add(ref entries, count * 2);
        // Four entries a step into two sums: independent multiply-adds keep the core busy while weights load.
        long score = 0;
        long other = 0;
        var e = 0;
        for (; e + 4 <= count; e += 4)
        {
            var four = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref impacts, e));
            var terms = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref entries, 2 * e));
            score += Unsafe.Add(ref weights, (int)(terms & 0xFFFF)) * (four & 0xFF);
            other += Unsafe.Add(ref weights, (int)((terms >> 16) & 0xFFFF)) * ((four >> 8) & 0xFF);
            score += Unsafe.Add(ref weights, (int)((terms >> 32) & 0xFFFF)) * ((four >> 16) & 0xFF);
            other += Unsafe.Add(ref weights, (int)(terms >> 48)) * (four >> 24);
        }

        for (; e < count; e++)
        {
            score += Unsafe.Add(ref weights, Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref entries, 2 * e))) * Unsafe.Add(ref impacts, e);
        }

        return score + other;
    }

    /// <summary>What the entries whose ordinals lie in [start, end) with an impact of 255 or more add beyond the 255 already counted (documents with <see cref="Many"/>).</summary>
    private long Exceptions(int start, int end, long[] weightByTerm)
    {
        long extra = 0;
        var e = Array.BinarySearch(exceptionAt, start);
        for (e = e < 0 ? ~e : e; e < exceptionAt.Length && exceptionAt[e] < end; e++)
        {
            var at = exceptionAt[e];
            var term = width == 2 ? BitConverter.ToUInt16(blob, at) : BitConverter.ToInt32(blob, at);
            extra += weightByTerm[term] * (exceptionImpact[e] - Escape);
        }

        return extra;
    }
}
