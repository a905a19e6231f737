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

    /// <summary>
    /// The documents of the <paramref name="wanted"/> largest partial scores over the given terms' pruned lists (ties to
    /// the lower document), in document order; documents not in <paramref name="accepted"/> are left out.
    /// </summary>
    /// <param name="weights">Per term: the query weight × the term's quantization step.</param>
    public static Proposal[] Best(PrunedLists pruned, ReadOnlySpan<int> terms, ReadOnlySpan<long> weights, IBits? accepted, int wanted)
    {
        var proposals = ProposalList.ForThisThread();
        Collect(pruned, terms, weights, accepted, wanted, proposals);
        var cut = ProposalCut.Of(proposals.All, wanted);
        var best = new List<Proposal>(Math.Min(wanted, proposals.Count));
        foreach (var proposal in proposals.All)
        {
            if (cut.Takes(proposal.Partial))
            {
                best.Add(proposal);
            }
        }

        return [.. best];
    }

    /// <summary>
    /// Appends to <paramref name="proposals"/>, in document order, the segment's documents proposed by the given terms'
    /// pruned lists with their partial scores: at least the <paramref name="wanted"/> best (or all there are), and of the
    /// rest only those that reach the same floor. Documents not in <paramref name="accepted"/> are left out.
    /// </summary>
    /// <param name="weights">Per term: the query weight × the term's quantization step.</param>
    public static void Collect(PrunedLists pruned, ReadOnlySpan<int> terms, ReadOnlySpan<long> weights, IBits? accepted, int wanted, ProposalList proposals)
    {
        // The lists are a few kilobytes each, read a few lines per window: asked for all at once, their memory arrives
        // in parallel instead of one stall per line as the windows reach it (~0.1 ms a query on the 1M bench).
        foreach (var term in terms)
        {
            pruned.Prefetch(term);
        }

        var start = proposals.Count;
        var floor = Floor(pruned, terms, weights, wanted);
        CollectAtFloor(pruned, terms, weights, accepted, floor, proposals);
        if (floor > 0 && proposals.Count - start < wanted)
        {
            // Filtered or deleted documents were among those at the floor: collect again without one.
            proposals.Truncate(start);
            CollectAtFloor(pruned, terms, weights, accepted, 0, proposals);
        }
    }

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

    private static void CollectAtFloor(PrunedLists pruned, ReadOnlySpan<int> terms, ReadOnlySpan<long> weights, IBits? accepted, long floor, ProposalList proposals)
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

        // Room for every posting's document and one more: each touched document is written, then kept or overwritten.
        var found = proposals.Reserve(postings + 1);
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
                    var sum = sums[slot];
                    sums[slot] = 0;
                    // Kept by moving on, without a branch: whether a sum reaches the floor is a coin toss to the predictor.
                    found[count] = new Proposal(doc, sum);
                    count += sum >= floor && (accepted is null || accepted.Get(doc)) ? 1 : 0;
                    word &= word - 1;
                }
                while (word != 0);
            }
        }

        proposals.Commit(count);
    }
}
