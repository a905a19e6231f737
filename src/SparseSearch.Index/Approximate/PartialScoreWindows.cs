using Lucene.Net.Util;

namespace SparseSearch.Index.Approximate;

/// <summary>
/// Partial scores of the documents the pruned lists propose, added up one window of documents at a time: the query's
/// cut terms read their (document-ordered) lists up to the window's end into a dense array of
/// <see cref="WindowSize"/> sums, small enough to stay in a core's L2 cache, each posting's slot appended to a list;
/// then the list is walked once, each slot's sum taken and cleared (a second posting of a document finds 0 and is
/// dropped after). No hashing and no probing, where an open-addressing table cost ~14 ns a posting; and no branch per
/// document, where walking a bitmap of touched slots mispredicted once or twice per document (~0.15 ms a query of
/// 20,000 postings on the 1M bench). Per-thread buffers.
/// </summary>
internal static class PartialScoreWindows
{
    private const int WindowBits = 15;
    private const int WindowSize = 1 << WindowBits;

    [ThreadStatic]
    private static long[]? _sums;

    [ThreadStatic]
    private static int[]? _slots;

    /// <summary>
    /// Appends to <paramref name="proposals"/> the segment's documents proposed by the given terms' pruned lists with
    /// their partial scores, in no particular order: at least the <paramref name="wanted"/> best (or all there are), and
    /// of the rest only those that reach the same floor. Documents not in <paramref name="accepted"/> are left out.
    /// </summary>
    /// <param name="weights">Per term: the query weight × the term's quantization step.</param>
    /// <param name="docBase">Added to each proposal's document: the segment's first document in its reader.</param>
    public static void Collect(PrunedLists pruned, ReadOnlySpan<int> terms, ReadOnlySpan<long> weights, IBits? accepted, int wanted, int docBase,
        ProposalList proposals)
    {
        // The lists are a few kilobytes each, read a few lines per window: asked for all at once, their memory arrives
        // in parallel instead of one stall per line as the windows reach it (~0.1 ms a query on the 1M bench).
        foreach (var term in terms)
        {
            pruned.Prefetch(term);
        }

        var start = proposals.Count;
        var floor = Floor(pruned, terms, weights, wanted);
        CollectAtFloor(pruned, terms, weights, accepted, floor, docBase, proposals);
        if (floor > 0 && proposals.Count - start < wanted)
        {
            // Filtered or deleted documents were among those at the floor: collect again without one.
            proposals.Truncate(start);
            CollectAtFloor(pruned, terms, weights, accepted, 0, docBase, proposals);
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

    private static void CollectAtFloor(PrunedLists pruned, ReadOnlySpan<int> terms, ReadOnlySpan<long> weights, IBits? accepted, long floor,
        int docBase, ProposalList proposals)
    {
        var sums = _sums ??= new long[WindowSize];
        var postings = 0;
        var cursors = new PostingCursor[terms.Length];
        for (var t = 0; t < terms.Length; t++)
        {
            cursors[t] = pruned.Open(terms[t]);
            postings += pruned.Count(terms[t]);
        }

        if (_slots is null || _slots.Length < postings)
        {
            _slots = new int[Math.Max(postings, 4096)];
        }

        var slots = _slots;
        var found = proposals.Reserve(postings);
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
            var touched = 0;
            for (var t = 0; t < cursors.Length; t++)
            {
                touched = pruned.AddUntil(ref cursors[t], limit, weights[t], sums, windowBase, slots, touched);
            }

            foreach (var slot in slots.AsSpan(0, touched))
            {
                found[count++] = new Proposal(docBase + windowBase + slot, sums[slot]);
                sums[slot] = 0;
            }
        }

        // Kept: a document's first posting (its sum; the later ones found 0), at the floor, accepted. One pass, and a
        // branch only where a filter or deletions are asked about.
        var kept = 0;
        var least = Math.Max(floor, 1);
        for (var i = 0; i < count; i++)
        {
            var proposal = found[i];
            found[kept] = proposal;
            kept += proposal.Partial >= least && (accepted is null || accepted.Get(proposal.Doc - docBase)) ? 1 : 0;
        }

        proposals.Commit(kept);
    }
}
