using Lucene.Net.Codecs;
using Lucene.Net.Store;

namespace SparseSearch.Index.Approximate;

/// <summary>
/// The per-segment approximate-search file (extension <see cref="Extension"/>), written by the impact postings format
/// with the segment, at flush and merge alike, so like the term bounds it can never describe another segment.
/// Layout: header; VInt maxDoc; VInt terms (the impact field's, in index order: a term's ordinal is its rank);
/// pruned lists, per term VInt kept, VInt step and VInt gap bytes, then VInt total and every term's VInt document gaps
/// (document order), VInt total and every kept posting's byte ⌈impact / step⌉;
/// then the forward index (<see cref="ForwardIndexFormat"/>); footer.
/// </summary>
internal static class ApproximateSegmentFormat
{
    public const string Extension = "sap";
    public const string CodecName = "SparseApproximate";
    public const int Version = 5;

    /// <summary>The oldest version still read (its forward index is converted as the segment opens).</summary>
    public const int OldestReadable = 3;

    public static void WritePrunedLists(IndexOutput output, int[] termStarts, int[] docs, int[] impacts, int keep)
    {
        // Gaps and impact bytes gather here and are written as two blocks after every term's counts, so a reader takes
        // them with two reads instead of decoding and re-encoding every posting.
        var gaps = new ByteBlock();
        var quantized = new ByteBlock();
        var order = new int[Math.Min(keep, docs.Length)];
        Span<byte> scratch = stackalloc byte[5];
        for (var t = 0; t + 1 < termStarts.Length; t++)
        {
            var start = termStarts[t];
            var count = termStarts[t + 1] - start;
            var kept = Math.Min(count, keep);
            var max = 0;
            for (var p = start; p < start + count; p++)
            {
                max = Math.Max(max, impacts[p]);
            }

            var step = Math.Max(1, (max + 254) / 255);
            var selected = order.AsSpan(0, kept);
            SelectLargest(impacts.AsSpan(start, count), selected, start);
            // Postings are in document order, so the selected positions are too: gaps stay small and positive.
            selected.Sort();
            var gapBytes = gaps.Length;
            var previous = 0;
            foreach (var p in selected)
            {
                gaps.Add(scratch[..PutVInt(scratch, docs[p] - previous)]);
                quantized.Add((byte)((impacts[p] + step - 1) / step));
                previous = docs[p];
            }

            output.WriteVInt32(kept);
            output.WriteVInt32(step);
            output.WriteVInt32(gaps.Length - gapBytes);
        }

        output.WriteVInt32(gaps.Length);
        output.WriteBytes(gaps.Buffer, 0, gaps.Length);
        output.WriteVInt32(quantized.Length);
        output.WriteBytes(quantized.Buffer, 0, quantized.Length);
    }

    /// <summary>A growing byte array.</summary>
    private sealed class ByteBlock
    {
        public byte[] Buffer { get; private set; } = new byte[1 << 16];

        public int Length { get; private set; }

        public void Add(byte value) => Add([value]);

        public void Add(ReadOnlySpan<byte> bytes)
        {
            if (Length + bytes.Length > Buffer.Length)
            {
                var grown = Buffer;
                Array.Resize(ref grown, (int)Math.Min(Array.MaxLength, Math.Max(Length + bytes.Length, Buffer.Length * 2L)));
                Buffer = grown;
            }

            bytes.CopyTo(Buffer.AsSpan(Length));
            Length += bytes.Length;
        }
    }

    /// <summary>
    /// Positions (offset by <paramref name="offset"/>) of the <c>into.Length</c> largest impacts, ties to the earlier
    /// posting: a counting pass finds the cut value, so a long list costs two linear passes, not a sort.
    /// </summary>
    private static void SelectLargest(ReadOnlySpan<int> impacts, Span<int> into, int offset)
    {
        var keep = into.Length;
        var cut = keep == impacts.Length ? int.MinValue : CutValue(impacts, keep);
        var atCut = keep;
        foreach (var impact in impacts)
        {
            atCut -= impact > cut ? 1 : 0;
        }

        var n = 0;
        for (var p = 0; p < impacts.Length && n < keep; p++)
        {
            if (impacts[p] > cut || (impacts[p] == cut && atCut-- > 0))
            {
                into[n++] = offset + p;
            }
        }
    }

    /// <summary>The keep-th largest impact.</summary>
    private static int CutValue(ReadOnlySpan<int> impacts, int keep)
    {
        var max = 0;
        foreach (var impact in impacts)
        {
            max = Math.Max(max, impact);
        }

        if (max < 1 << 16)
        {
            var counts = new int[max + 1];
            foreach (var impact in impacts)
            {
                counts[impact]++;
            }

            var seen = 0;
            for (var value = max; value >= 0; value--)
            {
                seen += counts[value];
                if (seen >= keep)
                {
                    return value;
                }
            }

            return 0;
        }

        var sorted = impacts.ToArray();
        Array.Sort(sorted);
        return sorted[^keep];
    }

    public static ApproximateSegment Read(IndexInput input, int version)
    {
        var maxDoc = input.ReadVInt32();
        var terms = input.ReadVInt32();
        var postingStarts = new int[terms + 1];
        var byteStarts = new int[terms + 1];
        var steps = new int[terms];
        for (var t = 0; t < terms; t++)
        {
            postingStarts[t + 1] = postingStarts[t] + input.ReadVInt32();
            steps[t] = input.ReadVInt32();
            byteStarts[t + 1] = byteStarts[t] + input.ReadVInt32();
        }

        var gaps = new byte[input.ReadVInt32()];
        input.ReadBytes(gaps, 0, gaps.Length);
        var quantized = new byte[input.ReadVInt32()];
        input.ReadBytes(quantized, 0, quantized.Length);
        var pruned = new PrunedLists(postingStarts, byteStarts, gaps, quantized, steps);
        return new ApproximateSegment(maxDoc, pruned, ForwardIndexFormat.Read(input, maxDoc, version));
    }

    public static string FileName(string segment, string suffix) => Lucene.Net.Index.IndexFileNames.SegmentFileName(segment, suffix, Extension);

    public static void WriteHeader(IndexOutput output) => CodecUtil.WriteHeader(output, CodecName, Version);

    /// <returns>The file's version.</returns>
    public static int CheckHeader(DataInput input) => CodecUtil.CheckHeader(input, CodecName, OldestReadable, Version);

    private static int PutVInt(Span<byte> buffer, int value)
    {
        var at = 0;
        var v = (uint)value;
        while (v >= 0x80)
        {
            buffer[at++] = (byte)(v | 0x80);
            v >>= 7;
        }

        buffer[at++] = (byte)v;
        return at;
    }
}
