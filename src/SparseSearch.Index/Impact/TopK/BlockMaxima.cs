using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Util;

namespace SparseSearch.Index.Impact.TopK;

/// <summary>
/// One term's block maxima in one segment, at two granularities that share one quantization step: block b of
/// <see cref="BlockMaxima.BlockSize"/> documents has impacts of at most Blocks[b] × Step, and fine block f of
/// <see cref="BlockMaxima.FineBlockSize"/> documents at most Fine[f] × Step.
/// </summary>
internal sealed record TermBlockMaxima(byte[] Blocks, FineMaxima Fine, int Step)
{
    public static TermBlockMaxima Absent { get; } = new([], FineMaxima.Empty, 0);

    public long Bytes => Blocks.Length + Fine.Bytes;
}

/// <summary>
/// Per segment and term, an upper bound of the impacts in each block of documents: the tight, local bounds block-max
/// pruning needs (one global maximum per term is loose, since impacts are heavy-tailed). Two granularities: blocks of
/// 128 documents drive MaxScore's per-block split of the terms, and fine blocks of 8 documents bound whole documents
/// tightly enough to skip most of what the coarse split leaves (with ~50 query terms, a 128-document block almost always
/// could hold a winner, an 8-document block rarely can). Lucene 4.8's postings carry no such data, so each (segment,
/// term) is scanned once on first use and cached for the segment's lifetime — segments are immutable, so the cache never
/// goes stale. Bounds are rounded up to one byte per block, fine ones stored sparsely for rare terms; a segment's cache
/// is emptied when it passes <see cref="MaxCachedBytesPerSegment"/>. Deleted documents are included, which keeps the
/// bounds valid.
/// </summary>
internal static class BlockMaxima
{
    public const int BlockBits = 7;
    public const int BlockSize = 1 << BlockBits;
    public const int FineBits = 3;
    public const int FineBlockSize = 1 << FineBits;
    public const int FinePerBlock = BlockSize / FineBlockSize;

    /// <summary>
    /// About 1,500 common terms' fine maxima per million documents (125 KB each), many more rare ones: the working set
    /// of a few hundred long expanded queries.
    /// </summary>
    public const long MaxCachedBytesPerSegment = 256L << 20;

    private static readonly ConditionalWeakTable<object, SegmentCache> Cache = new();

    public static TermBlockMaxima Of(AtomicReaderContext leaf, string term)
    {
        var reader = leaf.AtomicReader;
        return Cache.GetValue(reader.CoreCacheKey, _ => new SegmentCache()).Get(reader, term);
    }

    public static int BlockCount(int maxDoc) => (maxDoc + BlockSize - 1) >> BlockBits;

    public static int FineBlockCount(int maxDoc) => (maxDoc + FineBlockSize - 1) >> FineBits;

    private static TermBlockMaxima Scan(AtomicReader reader, string term)
    {
        var termsEnum = reader.GetTerms(IndexFields.Impacts)?.GetEnumerator();
        if (termsEnum is null || !termsEnum.SeekExact(new BytesRef(term)))
        {
            return TermBlockMaxima.Absent;
        }

        var fine = new int[FineBlockCount(reader.MaxDoc)];
        var docs = termsEnum.Docs(null, null, DocsFlags.FREQS);
        int doc;
        var largest = 0;
        var nonEmpty = 0;
        while ((doc = docs.NextDoc()) != LeafPostings.NoMoreDocs)
        {
            ref var max = ref fine[doc >> FineBits];
            nonEmpty += max == 0 ? 1 : 0;
            max = Math.Max(max, docs.Freq);
            largest = Math.Max(largest, max);
        }

        // In long: a bound near int.MaxValue must not wrap (impacts are capped at 2^24, but the postings could be foreign).
        var step = (int)Math.Max(1, (largest + 254L) / 255);
        var blocks = new byte[BlockCount(reader.MaxDoc)];
        var fineBytes = new byte[fine.Length];
        for (var f = 0; f < fine.Length; f++)
        {
            fineBytes[f] = (byte)((fine[f] + step - 1) / step);
            ref var block = ref blocks[f / FinePerBlock];
            block = Math.Max(block, fineBytes[f]);
        }

        return new TermBlockMaxima(blocks, FineMaxima.From(fineBytes, nonEmpty), step);
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
            if (Interlocked.Add(ref _bytes, scanned.Bytes) > MaxCachedBytesPerSegment)
            {
                // A crude bound on memory: a query vocabulary this large is rare, and rescanning is only slower.
                _terms.Clear();
                Interlocked.Exchange(ref _bytes, scanned.Bytes);
            }

            return _terms.GetOrAdd(term, scanned);
        }
    }
}
