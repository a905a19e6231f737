using Lucene.Net.Util;

namespace SparseSearch.Index.Approximate;

/// <summary>
/// Partial scores of the documents the pruned lists propose, in an open-addressing hash table sized to the postings
/// read: a few hundred kilobytes that stay in cache, where a dense array over the segment (megabytes) missed it on
/// nearly every posting. Per-thread buffers, reset per search.
/// </summary>
internal struct PartialScores : IPostingVisitor
{
    private int[] _keys;
    private long[] _values;
    private int[] _used;
    private int _usedCount;
    private int _shift;
    private IBits? _accepted;

    /// <summary>The current term's weight × its quantization step.</summary>
    public long Weight;

    [ThreadStatic]
    private static int[]? _keyBuffer;

    [ThreadStatic]
    private static long[]? _valueBuffer;

    [ThreadStatic]
    private static int[]? _usedBuffer;

    /// <summary>A table for up to <paramref name="postings"/> documents; postings of documents not in <paramref name="accepted"/> are ignored.</summary>
    public static PartialScores For(long postings, IBits? accepted)
    {
        var bits = Math.Max(6, 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)Math.Max(1, postings * 2 - 1)));
        var capacity = 1 << bits;
        if (_keyBuffer is null || _keyBuffer.Length < capacity)
        {
            _keyBuffer = new int[capacity];
            _valueBuffer = new long[capacity];
            _usedBuffer = new int[capacity];
        }

        _keyBuffer.AsSpan(0, capacity).Fill(-1);
        return new PartialScores
        {
            _keys = _keyBuffer,
            _values = _valueBuffer!,
            _used = _usedBuffer!,
            _shift = 32 - bits,
            _accepted = accepted,
        };
    }

    public void Visit(int doc, byte quantizedImpact)
    {
        if (_accepted is not null && !_accepted.Get(doc))
        {
            return;
        }

        // Fibonacci hashing, linear probing: the table is at most half full.
        var mask = (1 << (32 - _shift)) - 1;
        var slot = (int)(((uint)doc * 2654435769u) >> _shift);
        while (true)
        {
            var key = _keys[slot];
            if (key == doc)
            {
                _values[slot] += Weight * quantizedImpact;
                return;
            }

            if (key < 0)
            {
                _keys[slot] = doc;
                _values[slot] = Weight * quantizedImpact;
                _used[_usedCount++] = slot;
                return;
            }

            slot = (slot + 1) & mask;
        }
    }

    /// <summary>
    /// The documents of the <paramref name="wanted"/> largest partial scores (ties to the lower document), with their
    /// partial scores, in no particular order: a quickselect over the table's used slots, linear on average.
    /// </summary>
    public readonly (int Doc, long Partial)[] Best(int wanted)
    {
        var slots = _used.AsSpan(0, _usedCount);
        var take = Math.Min(wanted, slots.Length);
        Selection.SmallestFirst(slots, take, new BestSlotFirst(_keys, _values));
        var best = new (int, long)[take];
        for (var i = 0; i < take; i++)
        {
            best[i] = (_keys[slots[i]], _values[slots[i]]);
        }

        return best;
    }

    /// <summary>Slots by partial score, largest first; ties to the lower document.</summary>
    private readonly struct BestSlotFirst(int[] keys, long[] values) : IComparer<int>
    {
        public int Compare(int x, int y) => values[x] != values[y] ? values[y].CompareTo(values[x]) : keys[x].CompareTo(keys[y]);
    }
}
