using Lucene.Net.Codecs;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace SparseSearch.Index.Impact.Codec;

/// <summary>Reads a segment's postings through Lucene and its term bounds from the bounds file, once, when the segment opens.</summary>
internal sealed class ImpactBoundsReader : FieldsProducer
{
    private readonly FieldsProducer _postings;
    private readonly Dictionary<string, TermMaxima> _fields = new(StringComparer.Ordinal);

    public ImpactBoundsReader(FieldsProducer postings, SegmentReadState state)
    {
        _postings = postings;
        var name = ImpactBoundsPostingsFormat.FileName(state.SegmentInfo.Name, state.SegmentSuffix);
        using var input = state.Directory.OpenChecksumInput(name, state.Context);
        CodecUtil.CheckHeader(input, ImpactBoundsPostingsFormat.CodecName, ImpactBoundsPostingsFormat.Version, ImpactBoundsPostingsFormat.Version);
        while (input.ReadByte() == 1)
        {
            var field = input.ReadString();
            _fields[field] = TermMaxima.Read(input);
        }

        CodecUtil.CheckFooter(input);
        var approximate = Approximate.ApproximateSegmentFormat.FileName(state.SegmentInfo.Name, state.SegmentSuffix);
        if (state.SegmentInfo.GetFiles().Contains(approximate))
        {
            using var approximateInput = state.Directory.OpenChecksumInput(approximate, state.Context);
            var version = Approximate.ApproximateSegmentFormat.CheckHeader(approximateInput);
            _approximate = Approximate.ApproximateSegmentFormat.Read(approximateInput, version);
            CodecUtil.CheckFooter(approximateInput);
        }
    }

    private readonly Approximate.ApproximateSegment? _approximate;

    public override IEnumerator<string> GetEnumerator() => _postings.GetEnumerator();

    public override Terms? GetTerms(string field)
    {
        var terms = _postings.GetTerms(field);
        return terms is null ? null : new BoundedTerms(terms, _fields.GetValueOrDefault(field) ?? TermMaxima.Empty,
            field == IndexFields.Impacts ? _approximate : null);
    }

    public override int Count => _postings.Count;

    public override long RamBytesUsed() => _postings.RamBytesUsed() + _fields.Values.Sum(f => f.Bytes) + (_approximate?.Bytes ?? 0);

    public override void CheckIntegrity() => _postings.CheckIntegrity();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _postings.Dispose();
        }
    }
}

/// <summary>A segment's terms of the impact field, with the largest impact of each (0 for a term the segment lacks).</summary>
public sealed class BoundedTerms(Terms terms, TermMaxima maxima, Approximate.ApproximateSegment? approximate = null) : FilterAtomicReader.FilterTerms(terms)
{
    public int MaxImpact(BytesRef term) => maxima.Find(term);

    /// <summary>The term's ordinal (its rank in index order), or -1 when the segment lacks it.</summary>
    public int Ordinal(BytesRef term) => maxima.IndexOf(term);

    /// <summary>The largest impact of the term of this <paramref name="ordinal"/> (from <see cref="Ordinal"/>).</summary>
    public int MaxImpactAt(int ordinal) => maxima.At(ordinal);

    /// <summary>The segment's approximate-search structures, or null when it was written without them.</summary>
    public Approximate.ApproximateSegment? Approximate => approximate;
}

/// <summary>
/// Terms in index order, packed (one UTF-8 blob, offsets, maxima) and searched by binary search: a few bytes per term
/// instead of a string and a dictionary entry, since a BM25 vocabulary can run to millions of terms per segment.
/// </summary>
public sealed class TermMaxima
{
    private readonly byte[] _bytes;
    private readonly int[] _offsets;
    private readonly int[] _maxima;

    private TermMaxima(byte[] bytes, int[] offsets, int[] maxima)
    {
        _bytes = bytes;
        _offsets = offsets;
        _maxima = maxima;
    }

    internal static TermMaxima Empty { get; } = new([], [0], []);

    internal long Bytes => _bytes.Length + 4L * (_offsets.Length + _maxima.Length);

    internal static TermMaxima Read(DataInput input)
    {
        var bytes = new List<byte>();
        var offsets = new List<int> { 0 };
        var maxima = new List<int>();
        int length;
        while ((length = input.ReadVInt32()) != 0)
        {
            var term = new byte[length - 1];
            input.ReadBytes(term, 0, term.Length);
            bytes.AddRange(term);
            offsets.Add(bytes.Count);
            maxima.Add(input.ReadVInt32());
        }

        return new TermMaxima([.. bytes], [.. offsets], [.. maxima]);
    }

    /// <summary>The term's largest impact in the segment, 0 when absent. Terms are in BytesRef (unsigned byte) order, as Lucene sorts them.</summary>
    public int Find(BytesRef term) => IndexOf(term) is var at and >= 0 ? _maxima[at] : 0;

    /// <summary>The largest impact of the term of rank <paramref name="ordinal"/>.</summary>
    public int At(int ordinal) => _maxima[ordinal];

    /// <summary>The term's rank in index order, or -1 when absent.</summary>
    public int IndexOf(BytesRef term)
    {
        var key = term.Bytes.AsSpan(term.Offset, term.Length);
        int low = 0, high = _maxima.Length - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var order = _bytes.AsSpan(_offsets[middle], _offsets[middle + 1] - _offsets[middle]).SequenceCompareTo(key);
            if (order == 0)
            {
                return middle;
            }

            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return -1;
    }
}
