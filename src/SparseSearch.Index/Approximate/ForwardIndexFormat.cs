using System.Buffers.Binary;
using Lucene.Net.Store;

namespace SparseSearch.Index.Approximate;

/// <summary>
/// The forward index's part of the approximate-search file (<see cref="ApproximateSegmentFormat"/>). Since format 5
/// each document is one run: a byte e, how many of its impacts are 255 or more (<see cref="ForwardIndex.Many"/>:
/// more than 254, or one beyond 255 + 65,535, and those are in the segment's exception list instead); its term
/// ordinals (ascending, little-endian, 16 or 32 bits); its impact bytes (capped at 255); then, per capped entry, its
/// ordinal again and a little-endian 16-bit excess over 255. Nearly every candidate has such an impact, so its score
/// adds them from this short list after one pass over its entries with no test per entry: format 4 kept only the
/// excesses, in entry order, and finding their entries again cost a second, branchy pass over the run (as much as
/// the first). A binary search of one segment-wide list (format 3) had cost ~0.7 µs per candidate.
/// The file part: a kind byte (<see cref="ForwardIndex.None"/>: more than one array holds; narrow or wide ordinals),
/// maxDoc × VInt run length, the runs, then VInt exceptions and per exception VInt document gap, VInt entry, VInt impact.
/// Formats 3 and 4 are still read, converted when a segment opens: format 4's runs ended with the excesses alone;
/// format 3 had runs of ordinals and impacts only, maxDoc × VInt entry count, and every impact of 255 or more in the
/// exception list.
/// </summary>
internal static class ForwardIndexFormat
{
    /// <summary>The largest excess over 255 a run keeps inline (a 16-bit value).</summary>
    private const int MaxInlineExcess = ushort.MaxValue;

    public static void Write(IndexOutput output, int[] termStarts, int[] docs, int[] impacts, int maxDoc)
    {
        var total = termStarts[^1];
        var wide = termStarts.Length - 1 > ushort.MaxValue + 1;
        var width = wide ? 4 : 2;
        var escapes = 0L;
        foreach (var impact in impacts.AsSpan(0, total))
        {
            escapes += impact >= ForwardIndex.Escape ? 1 : 0;
        }

        if (total > Array.MaxLength || maxDoc + ((long)total * (width + 1)) + (escapes * (width + 2)) > Array.MaxLength)
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

        output.WriteByte(wide ? ForwardIndex.WideTerms : ForwardIndex.NarrowTerms);
        var lengths = new int[maxDoc];
        for (var d = 0; d < maxDoc; d++)
        {
            lengths[d] = RunLength(forwardImpacts.AsSpan(starts[d], starts[d + 1] - starts[d]), width);
            output.WriteVInt32(lengths[d]);
        }

        var buffer = new byte[1 << 16];
        var many = new List<(int Doc, int Entry, int Impact)>();
        for (var d = 0; d < maxDoc; d++)
        {
            if (lengths[d] > buffer.Length)
            {
                buffer = new byte[lengths[d]];
            }

            WriteRun(buffer, forwardTerms.AsSpan(starts[d], starts[d + 1] - starts[d]), forwardImpacts.AsSpan(starts[d], starts[d + 1] - starts[d]), width, d, many);
            output.WriteBytes(buffer, 0, lengths[d]);
        }

        WriteExceptions(output, many);
    }

    public static ForwardIndex? Read(IndexInput input, int maxDoc, int version)
    {
        var kind = input.ReadByte();
        if (kind == ForwardIndex.None)
        {
            return null;
        }

        var width = kind == ForwardIndex.WideTerms ? 4 : 2;
        if (version < 5)
        {
            return Convert(maxDoc, width, version < 4 ? ReadFormat3(input, maxDoc, width) : ReadFormat4(input, maxDoc, width));
        }

        var starts = new int[maxDoc + 1];
        for (var d = 0; d < maxDoc; d++)
        {
            starts[d + 1] = starts[d] + input.ReadVInt32();
        }

        var blob = new byte[starts[maxDoc]];
        Memory.HugePages.Advise(blob);
        input.ReadBytes(blob, 0, blob.Length);
        var listed = ReadExceptions(input);
        return new ForwardIndex(starts, blob, width, [.. listed.Select(m => starts[m.Doc] + 1 + (m.Entry * width))], [.. listed.Select(m => m.Impact)]);
    }

    /// <summary>
    /// An older forward index in the current layout (what <see cref="ForwardIndex.Score"/> reads), from each document's
    /// entries: once to size the runs, once to write them into the blob, so no document's run is held apart from it.
    /// </summary>
    private static ForwardIndex Convert(int maxDoc, int width, Func<int, (int[] Terms, int[] Impacts)> entriesOf)
    {
        var starts = new int[maxDoc + 1];
        for (var d = 0; d < maxDoc; d++)
        {
            starts[d + 1] = starts[d] + RunLength(entriesOf(d).Impacts, width);
        }

        var blob = new byte[starts[maxDoc]];
        Memory.HugePages.Advise(blob);
        var many = new List<(int Doc, int Entry, int Impact)>();
        for (var d = 0; d < maxDoc; d++)
        {
            var (terms, impacts) = entriesOf(d);
            WriteRun(blob.AsSpan(starts[d], starts[d + 1] - starts[d]), terms, impacts, width, d, many);
        }

        return new ForwardIndex(starts, blob, width, [.. many.Select(m => starts[m.Doc] + 1 + (m.Entry * width))], [.. many.Select(m => m.Impact)]);
    }

    /// <summary>A format-3 forward index's entries by document: runs of ordinals and capped impacts, every impact of 255 or more in the exception list.</summary>
    private static Func<int, (int[] Terms, int[] Impacts)> ReadFormat3(IndexInput input, int maxDoc, int width)
    {
        var starts = new int[maxDoc + 1];
        for (var d = 0; d < maxDoc; d++)
        {
            starts[d + 1] = starts[d] + (input.ReadVInt32() * (width + 1));
        }

        var blob = new byte[starts[maxDoc]];
        input.ReadBytes(blob, 0, blob.Length);
        var exact = ReadExactImpacts(input);
        return d =>
        {
            var count = (starts[d + 1] - starts[d]) / (width + 1);
            return Entries(blob, starts[d], count, width, e => exact[(d, e)]);
        };
    }

    /// <summary>A format-4 forward index's entries by document: like today's runs, but with each capped entry's excess alone, in entry order.</summary>
    private static Func<int, (int[] Terms, int[] Impacts)> ReadFormat4(IndexInput input, int maxDoc, int width)
    {
        var starts = new int[maxDoc + 1];
        for (var d = 0; d < maxDoc; d++)
        {
            starts[d + 1] = starts[d] + input.ReadVInt32();
        }

        var blob = new byte[starts[maxDoc]];
        input.ReadBytes(blob, 0, blob.Length);
        var exact = ReadExactImpacts(input);
        return d =>
        {
            var escapes = blob[starts[d]];
            var inline = escapes != ForwardIndex.Many;
            var count = (starts[d + 1] - starts[d] - 1 - (inline ? 2 * escapes : 0)) / (width + 1);
            var excess = starts[d] + 1 + (count * (width + 1));
            return Entries(blob, starts[d] + 1, count, width, e =>
            {
                if (!inline)
                {
                    return exact[(d, e)];
                }

                excess += 2;
                return ForwardIndex.Escape + BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(excess - 2));
            });
        };
    }

    /// <summary>The exception list of formats 3 and 4 as (document, entry) → impact.</summary>
    private static Dictionary<(int Doc, int Entry), int> ReadExactImpacts(IndexInput input) =>
        ReadExceptions(input).ToDictionary(m => (m.Doc, m.Entry), m => m.Impact);

    /// <summary>
    /// One older run's ordinals and impacts, from its first ordinal at <paramref name="at"/>; a capped impact's value
    /// comes from <paramref name="exactImpact"/> (called in entry order with the entry's index).
    /// </summary>
    private static (int[] Terms, int[] Impacts) Entries(byte[] blob, int at, int count, int width, Func<int, int> exactImpact)
    {
        var terms = new int[count];
        var impacts = new int[count];
        for (var e = 0; e < count; e++)
        {
            terms[e] = ReadOrdinal(blob.AsSpan(at + (e * width)), width);
            impacts[e] = blob[at + (count * width) + e];
            impacts[e] = impacts[e] == ForwardIndex.Escape ? exactImpact(e) : impacts[e];
        }

        return (terms, impacts);
    }

    /// <summary>Whether a document's impacts of 255 or more fit its run (at most 254 of them, each at most 255 + 65,535 over).</summary>
    private static bool Inline(ReadOnlySpan<int> impacts, out int escapes)
    {
        escapes = 0;
        var fits = true;
        foreach (var impact in impacts)
        {
            escapes += impact >= ForwardIndex.Escape ? 1 : 0;
            fits &= impact - ForwardIndex.Escape <= MaxInlineExcess;
        }

        return fits && escapes < ForwardIndex.Many;
    }

    private static int RunLength(ReadOnlySpan<int> impacts, int width) =>
        1 + (impacts.Length * (width + 1)) + (Inline(impacts, out var escapes) ? escapes * (width + 2) : 0);

    /// <summary>Writes one document's run into <paramref name="run"/>; a document whose exceptions do not fit adds them to <paramref name="many"/>.</summary>
    private static void WriteRun(Span<byte> run, ReadOnlySpan<int> terms, ReadOnlySpan<int> impacts, int width, int doc, List<(int Doc, int Entry, int Impact)> many)
    {
        var count = impacts.Length;
        var inline = Inline(impacts, out var escapes);
        run[0] = inline ? (byte)escapes : (byte)ForwardIndex.Many;
        var extra = 1 + (count * (width + 1));
        for (var e = 0; e < count; e++)
        {
            WriteOrdinal(run[(1 + (e * width))..], terms[e], width);
            run[1 + (count * width) + e] = (byte)Math.Min(impacts[e], ForwardIndex.Escape);
            if (impacts[e] < ForwardIndex.Escape)
            {
                continue;
            }

            if (inline)
            {
                WriteOrdinal(run[extra..], terms[e], width);
                BinaryPrimitives.WriteUInt16LittleEndian(run[(extra + width)..], (ushort)(impacts[e] - ForwardIndex.Escape));
                extra += width + 2;
            }
            else
            {
                many.Add((doc, e, impacts[e]));
            }
        }
    }

    private static void WriteExceptions(IndexOutput output, List<(int Doc, int Entry, int Impact)> many)
    {
        output.WriteVInt32(many.Count);
        var previous = 0;
        foreach (var (doc, entry, impact) in many)
        {
            output.WriteVInt32(doc - previous);
            output.WriteVInt32(entry);
            output.WriteVInt32(impact);
            previous = doc;
        }
    }

    /// <summary>The exception list as <see cref="WriteExceptions"/> wrote it (every format's): document, entry and impact, in document order.</summary>
    private static List<(int Doc, int Entry, int Impact)> ReadExceptions(IndexInput input)
    {
        var count = input.ReadVInt32();
        var listed = new List<(int Doc, int Entry, int Impact)>(count);
        var doc = 0;
        for (var e = 0; e < count; e++)
        {
            doc += input.ReadVInt32();
            listed.Add((doc, input.ReadVInt32(), input.ReadVInt32()));
        }

        return listed;
    }

    private static int ReadOrdinal(ReadOnlySpan<byte> at, int width) =>
        width == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(at) : BinaryPrimitives.ReadInt32LittleEndian(at);

    private static void WriteOrdinal(Span<byte> at, int term, int width)
    {
        if (width == 2)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(at, (ushort)term);
        }
        else
        {
            BinaryPrimitives.WriteInt32LittleEndian(at, term);
        }
    }
}
