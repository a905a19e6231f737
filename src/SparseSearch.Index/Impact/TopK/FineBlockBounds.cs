using System.Buffers;
using System.Numerics;

namespace SparseSearch.Index.Impact.TopK;

/// <summary>
/// For one query over one segment, an upper bound of the score of every document in each fine block: the sum over
/// query terms of weight × the term's fine-block maximum. Kept as 32-bit multiples of <see cref="Unit"/> (each term's
/// weight × step rounded up), so a bound never undershoots the exact fixed-point score, and so dense terms add up with
/// SIMD — a few hundred thousand byte × weight products per query, well under a millisecond.
/// </summary>
internal sealed class FineBlockBounds : IDisposable
{
    private readonly uint[] _bounds;
    private readonly int _count;

    private FineBlockBounds(uint[] bounds, int count, long unit)
    {
        _bounds = bounds;
        _count = count;
        Unit = unit;
    }

    /// <summary>Score units (the plan's fixed point) per bound unit.</summary>
    public long Unit { get; }

    public static FineBlockBounds Compute(int fineBlocks, long[] weights, TermBlockMaxima[] maxima)
    {
        var total = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            total += (double)weights[i] * maxima[i].Step * byte.MaxValue;
        }

        // Sum of terms' rounded-up factors × 255 stays below 2^31 + 255 × terms, inside a uint.
        var unit = Math.Max(1L, (long)Math.Ceiling(total / (1L << 31)));
        var bounds = ArrayPool<uint>.Shared.Rent(fineBlocks);
        Array.Clear(bounds, 0, fineBlocks);
        for (var i = 0; i < weights.Length; i++)
        {
            if (maxima[i].Step == 0)
            {
                continue;
            }

            var factor = (uint)((weights[i] * maxima[i].Step + unit - 1) / unit);
            var fine = maxima[i].Fine;
            if (fine.Dense is { } dense)
            {
                AddDense(bounds.AsSpan(0, fineBlocks), dense, factor);
            }
            else
            {
                var blocks = fine.SparseBlocks;
                var values = fine.SparseMaxima;
                for (var n = 0; n < blocks.Length; n++)
                {
                    bounds[blocks[n]] += values[n] * factor;
                }
            }
        }

        return new FineBlockBounds(bounds, fineBlocks, unit);
    }

    /// <summary>
    /// Zeroes the bound of every fine block with no accepted document: under a filter, a block's bound only has to
    /// cover the documents that may enter the top k. A 1%-selective filter leaves about one fine block in thirteen,
    /// so most coarse blocks are skipped without reading a posting.
    /// </summary>
    public void MaskTo(Lucene.Net.Util.FixedBitSet accepted)
    {
        var words = accepted.GetBits();
        var wordCount = (accepted.Length + 63) >> 6;
        const int finePerWord = 64 >> BlockMaxima.FineBits;
        for (var w = 0; w < wordCount; w++)
        {
            var word = (ulong)words[w];
            var first = w * finePerWord;
            if (word == 0)
            {
                // Most words of a selective filter are empty: clear their fine blocks at once.
                _bounds.AsSpan(first, Math.Max(0, Math.Min(finePerWord, _count - first))).Clear();
                continue;
            }

            for (var j = 0; j < finePerWord && first + j < _count; j++)
            {
                if (((word >> (j << BlockMaxima.FineBits)) & ((1UL << BlockMaxima.FineBlockSize) - 1)) == 0)
                {
                    _bounds[first + j] = 0;
                }
            }
        }
    }

    /// <summary>The largest bound that cannot beat <paramref name="threshold"/>: bound ≤ it ⇒ bound × Unit ≤ threshold.</summary>
    public long Losing(long threshold) => threshold < 0 ? -1 : threshold / Unit;

    public uint this[int fineBlock] => _bounds[fineBlock];

    /// <summary>The largest fine bound inside one coarse block.</summary>
    public uint MaxInBlock(int block)
    {
        var start = block * BlockMaxima.FinePerBlock;
        var span = _bounds.AsSpan(start, Math.Min(BlockMaxima.FinePerBlock, _count - start));
        var max = 0u;
        foreach (var bound in span)
        {
            max = Math.Max(max, bound);
        }

        return max;
    }

    private static void AddDense(Span<uint> bounds, byte[] maxima, uint factor)
    {
        var f = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var scale = new Vector<uint>(factor);
            var width = Vector<uint>.Count;
            for (; f + Vector<byte>.Count <= bounds.Length; f += Vector<byte>.Count)
            {
                Vector.Widen(new Vector<byte>(maxima, f), out Vector<ushort> low, out Vector<ushort> high);
                Vector.Widen(low, out var q0, out var q1);
                Vector.Widen(high, out var q2, out var q3);
                var target = bounds.Slice(f, Vector<byte>.Count);
                (new Vector<uint>(target) + (q0 * scale)).CopyTo(target);
                (new Vector<uint>(target[width..]) + (q1 * scale)).CopyTo(target[width..]);
                (new Vector<uint>(target[(2 * width)..]) + (q2 * scale)).CopyTo(target[(2 * width)..]);
                (new Vector<uint>(target[(3 * width)..]) + (q3 * scale)).CopyTo(target[(3 * width)..]);
            }
        }

        for (; f < bounds.Length; f++)
        {
            bounds[f] += maxima[f] * factor;
        }
    }

    public void Dispose() => ArrayPool<uint>.Shared.Return(_bounds);
}
