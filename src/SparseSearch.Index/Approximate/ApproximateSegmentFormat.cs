using Lucene.Net.Codecs;
using Lucene.Net.Store;

namespace SparseSearch.Index.Approximate;

/// <summary>
/// The per-segment approximate-search file (extension <see cref="Extension"/>), written by the impact postings format
/// with the segment, at flush and merge alike, so like the term bounds it can never describe another segment.
/// Layout: header; VInt maxDoc; VInt terms (the impact field's, in index order: a term's ordinal is its rank);
/// pruned lists, per term VInt kept, VInt step and VInt gap bytes, then VInt total and every term's VInt document gaps
/// (document order), VInt total and every kept posting's byte ⌈impact / step⌉;
/// the forward index: a kind byte (0 none: more than one array holds; 1: 16-bit term ordinals; 2: 32-bit), maxDoc × VInt
/// entry count, then per document its ordinals (ascending, little-endian) followed by its impact bytes (capped at 255);
/// VInt exceptions and, per impact of 255 or more, VInt document gap, VInt entry and VInt impact; footer.
/// </summary>
internal static class ApproximateSegmentFormat
{
    public const string Extension = "sap";
    public const string CodecName = "SparseApproximate";
    public const int Version = 3;

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

    public static void WriteForwardIndex(IndexOutput output, int[] termStarts, int[] docs, int[] impacts, int maxDoc)
    {
        var total = termStarts[^1];
        if (total > Array.MaxLength)
        {
            output.WriteByte(ForwardIndex.None);
            return;
        }

        // Document-major by a counting sort: terms are visited in order, so each document's stay ascending.
        var starts = new int[maxDoc + 1];
        foreach (var doc in docs.AsSpan(0, total))
        {
            starts[doc + 1]++;
        }

        for (var d = 0; d < maxDoc; d++)
        {
            starts[d + 1] += starts[d];
        }

        var next = starts[..maxDoc];
        var forwardTerms = new int[total];
        var forwardImpacts = new int[total];
        for (var t = 0; t + 1 < termStarts.Length; t++)
        {
            for (var p = termStarts[t]; p < termStarts[t + 1]; p++)
            {
                var at = next[docs[p]]++;
                forwardTerms[at] = t;
                forwardImpacts[at] = impacts[p];
            }
        }

        var wide = termStarts.Length - 1 > ushort.MaxValue + 1;
        var width = wide ? 4 : 2;
        if ((long)total * (width + 1) > Array.MaxLength)
        {
            output.WriteByte(ForwardIndex.None);
            return;
        }

        output.WriteByte(wide ? ForwardIndex.WideTerms : ForwardIndex.NarrowTerms);
        for (var d = 0; d < maxDoc; d++)
        {
            output.WriteVInt32(starts[d + 1] - starts[d]);
        }

        // Per document, its ordinals then its impact bytes (an impact of Escape or more is written as Escape and
        // listed after as an exception): one contiguous run of memory per candidate.
        var buffer = new byte[1 << 16];
        var exceptions = new List<(int Doc, int Entry, int Impact)>();
        for (var d = 0; d < maxDoc; d++)
        {
            var count = starts[d + 1] - starts[d];
            var bytes = count * (width + 1);
            if (bytes > buffer.Length)
            {
                buffer = new byte[bytes];
            }

            for (var e = 0; e < count; e++)
            {
                var term = forwardTerms[starts[d] + e];
                var impact = forwardImpacts[starts[d] + e];
                if (wide)
                {
                    System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(e * 4), term);
                }
                else
                {
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(e * 2), (ushort)term);
                }

                buffer[(count * width) + e] = (byte)Math.Min(impact, ForwardIndex.Escape);
                if (impact >= ForwardIndex.Escape)
                {
                    exceptions.Add((d, e, impact));
                }
            }

            output.WriteBytes(buffer, 0, bytes);
        }

        output.WriteVInt32(exceptions.Count);
        var previous = 0;
        foreach (var (doc, entry, impact) in exceptions)
        {
            output.WriteVInt32(doc - previous);
            output.WriteVInt32(entry);
            output.WriteVInt32(impact);
            previous = doc;
        }
    }

    public static ApproximateSegment Read(IndexInput input)
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
        var kind = input.ReadByte();
        if (kind == ForwardIndex.None)
        {
            return new ApproximateSegment(maxDoc, pruned, null);
        }

        var width = kind == ForwardIndex.WideTerms ? 4 : 2;
        var starts = new int[maxDoc + 1];
        for (var d = 0; d < maxDoc; d++)
        {
            starts[d + 1] = starts[d] + (input.ReadVInt32() * (width + 1));
        }

        var blob = new byte[starts[maxDoc]];
        input.ReadBytes(blob, 0, blob.Length);
        // In memory an exception is where its entry's ordinal lies in the blob and its impact: 8 bytes, where the
        // document and entry took 12 (a few percent of SPLADE-like impacts reach 255 at scale 100).
        var exceptionCount = input.ReadVInt32();
        var exceptionAt = new int[exceptionCount];
        var exceptionImpact = new int[exceptionCount];
        var doc = 0;
        for (var e = 0; e < exceptionCount; e++)
        {
            doc += input.ReadVInt32();
            exceptionAt[e] = starts[doc] + (input.ReadVInt32() * width);
            exceptionImpact[e] = input.ReadVInt32();
        }

        return new ApproximateSegment(maxDoc, pruned, new ForwardIndex(starts, blob, width, exceptionAt, exceptionImpact));
    }

    public static string FileName(string segment, string suffix) => Lucene.Net.Index.IndexFileNames.SegmentFileName(segment, suffix, Extension);

    public static void WriteHeader(IndexOutput output) => CodecUtil.WriteHeader(output, CodecName, Version);

    public static void CheckHeader(DataInput input) => CodecUtil.CheckHeader(input, CodecName, Version, Version);

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
