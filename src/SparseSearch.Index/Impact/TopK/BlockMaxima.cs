using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Util;

namespace SparseSearch.Index.Impact.TopK;

/// <summary>One term's block maxima in one segment: block b's largest impact is at most Blocks[b] × Step.</summary>
internal sealed record TermBlockMaxima(byte[] Blocks, int Step)
{
    public static TermBlockMaxima Absent { get; } = new([], 0);
}

/// <summary>
/// Per segment and term, an upper bound of the impacts in each block of <see cref="BlockSize"/> documents: the tight,
/// local bounds block-max pruning needs (one global maximum per term is loose, since impacts are heavy-tailed). Lucene
/// 4.8's postings carry no such data, so each (segment, term) is scanned once on first use and cached for the
/// segment's lifetime — segments are immutable, so the cache never goes stale. Bounds are rounded up to one byte per
/// block (7.8 KB per term per million documents), and a segment's cache is emptied when it passes
/// <see cref="MaxCachedBytesPerSegment"/>. Deleted documents are included, which keeps the bounds valid.
/// </summary>
internal static class BlockMaxima
{
    public const int BlockBits = 7;
    public const int BlockSize = 1 << BlockBits;
    public const long MaxCachedBytesPerSegment = 64L << 20;

    private static readonly ConditionalWeakTable<object, SegmentCache> Cache = new();

    public static TermBlockMaxima Of(AtomicReaderContext leaf, string term)
    {
        var reader = leaf.AtomicReader;
        return Cache.GetValue(reader.CoreCacheKey, _ => new SegmentCache()).Get(reader, term);
    }

    public static int BlockCount(int maxDoc) => (maxDoc + BlockSize - 1) >> BlockBits;

    private static TermBlockMaxima Scan(AtomicReader reader, string term)
    {
        var termsEnum = reader.GetTerms(IndexFields.Impacts)?.GetEnumerator();
        if (termsEnum is null || !termsEnum.SeekExact(new BytesRef(term)))
        {
            return TermBlockMaxima.Absent;
        }

        var maxima = new int[BlockCount(reader.MaxDoc)];
        var docs = termsEnum.Docs(null, null, DocsFlags.FREQS);
        int doc;
        var largest = 0;
        while ((doc = docs.NextDoc()) != LeafPostings.NoMoreDocs)
        {
            ref var max = ref maxima[doc >> BlockBits];
            max = Math.Max(max, docs.Freq);
            largest = Math.Max(largest, max);
        }

        var step = Math.Max(1, (largest + 254) / 255);
        var blocks = new byte[maxima.Length];
        for (var b = 0; b < maxima.Length; b++)
        {
            blocks[b] = (byte)((maxima[b] + step - 1) / step);
        }

        return new TermBlockMaxima(blocks, step);
    }

    private sealed class SegmentCache
    {
        private readonly ConcurrentDictionary<string, TermBlockMaxima> _terms = new(StringComparer.Ordinal);
        private long _bytes;

        public TermBlockMaxima Get(AtomicReader reader, string term)
        {
            if (_terms.TryGetValue(term, out var cached))
            {
                return cached;
            }

            var scanned = Scan(reader, term);
            if (Interlocked.Add(ref _bytes, scanned.Blocks.Length) > MaxCachedBytesPerSegment)
            {
                // A crude bound on memory: a query vocabulary this large is rare, and rescanning is only slower.
                _terms.Clear();
                Interlocked.Exchange(ref _bytes, scanned.Blocks.Length);
            }

            return _terms.GetOrAdd(term, scanned);
        }
    }
}
