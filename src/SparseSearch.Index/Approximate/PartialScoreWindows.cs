using Lucene.Net.Util;

namespace SparseSearch.Index.Approximate;

/// <summary>
/// Partial scores of the documents the pruned lists propose, added up one window of documents at a time: the query's
/// cut terms read their (document-ordered) lists up to the window's end into a dense array of
/// <see cref="WindowSize"/> sums, small enough to stay in a core's L2 cache, then the window's touched documents
/// (a bitmap) are collected and their sums cleared. No hashing and no probing, where an open-addressing table cost
/// ~14 ns a posting and choosing the best from its slots, through them, ~0.1 ms a segment. Per-thread buffers.
/// </summary>
internal static class PartialScoreWindows
{
    private const int WindowBits = 15;
    private const int WindowSize = 1 << WindowBits;

    [ThreadStatic]
    private static long[]? _sums;

    [ThreadStatic]
    private static ulong[]? _touched;

    [ThreadStatic]
    private static Proposal[]? _found;

    /// <summary>
    /// The documents of the <paramref name="wanted"/> largest partial scores over the given terms' pruned lists (ties to
    /// the lower document), in no particular order; documents not in <paramref name="accepted"/> are left out.
    /// </summary>
    /// <param name="weights">Per term: the query weight × the term's quantization step.</param>
    public static Proposal[] Best(PrunedLists pruned, ReadOnlySpan<int> terms, ReadOnlySpan<long> weights, IBits? accepted, int wanted) =>
        Best(pruned, terms, weights, accepted, wanted, Floor(pruned, terms, weights, wanted)) is { } best ? best
        : Best(pruned, terms, weights, accepted, wanted, 0)!;

    /// <summary>
    /// A partial score the <paramref name="wanted"/>-th best reaches: a document's partial score is at least its
    /// contribution from any one term, so where one term alone holds that many contributions of at least v, so do the
    /// best. Only documents at or above it are collected and selected from (most proposals are not).
    /// </summary>
    private static long Floor(PrunedLists pruned, ReadOnlySpan<int> terms, ReadOnlySpan<long> weights, int wanted)
    {
        long floor = 0;
        Span<int> counts = stackalloc int[256];
        for (var t = 0; t < terms.Length; t++)
        {
            if (pruned.Count(terms[t]) < wanted)
            {
                continue;
            }

            counts.Clear();
            pruned.CountImpacts(terms[t], counts);
            var seen = 0;
            var impact = 255;
            for (; impact > 0 && seen + counts[impact] < wanted; impact--)
            {
                seen += counts[impact];
            }

            floor = Math.Max(floor, weights[t] * impact);
        }

        return floor;
    }

    /// <returns>Null when fewer than <paramref name="wanted"/> accepted documents reach <paramref name="floor"/> (filtered or deleted ones were among them): then the caller asks again without one.</returns>
    private static Proposal[]? Best(PrunedLists pruned, ReadOnlySpan<int> terms, ReadOnlySpan<long> weights, IBits? accepted, int wanted, long floor)
    {
        var sums = _sums ??= new long[WindowSize];
        var touched = _touched ??= new ulong[WindowSize / 64];
        var postings = 0;
        var cursors = new PostingCursor[terms.Length];
        for (var t = 0; t < terms.Length; t++)
        {
            cursors[t] = pruned.Open(terms[t]);
            postings += pruned.Count(terms[t]);
        }

        if (_found is null || _found.Length < postings)
        {
            _found = new Proposal[Math.Max(postings, 1024)];
        }

        var found = _found;
        var count = 0;
        while (true)
        {
            var next = int.MaxValue;
            foreach (var cursor in cursors)
            {
                next = Math.Min(next, cursor.Doc);
            }

            if (next == int.MaxValue)
            {
                break;
            }

            var windowBase = next & ~(WindowSize - 1);
            var limit = windowBase + WindowSize;
            for (var t = 0; t < cursors.Length; t++)
            {
                pruned.AddUntil(ref cursors[t], limit, weights[t], sums, windowBase, touched);
            }

            for (var w = 0; w < touched.Length; w++)
            {
                var word = touched[w];
                if (word == 0)
                {
                    continue;
                }

                touched[w] = 0;
                do
                {
                    var slot = (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(word);
                    var doc = windowBase + slot;
                    if (sums[slot] >= floor && (accepted is null || accepted.Get(doc)))
                    {
                        found[count++] = new Proposal(doc, sums[slot]);
                    }

                    sums[slot] = 0;
                    word &= word - 1;
                }
                while (word != 0);
            }
        }

        if (floor > 0 && count < wanted)
        {
            return null;
        }

        var best = found.AsSpan(0, count);
        var take = Math.Min(wanted, count);
        Selection.SmallestFirst(best, take, default(BestFirst));
        return best[..take].ToArray();
    }

    /// <summary>Largest partial score first; ties to the lower document.</summary>
    private readonly struct BestFirst : IComparer<Proposal>
    {
        public int Compare(Proposal x, Proposal y) => x.Partial != y.Partial ? y.Partial.CompareTo(x.Partial) : x.Doc.CompareTo(y.Doc);
    }
}

/// <summary>A proposed document and its partial score.</summary>
internal readonly record struct Proposal(int Doc, long Partial);
