using Lucene.Net.Index;
using Lucene.Net.Util;

namespace SparseSearch.Index.Impact.TopK;

/// <summary>
/// Top k under a selective filter, led by the filter: each accepted document whose fine block (<see cref="FineBlockBounds"/>)
/// could still beat the k-th score is scored by advancing every query term's postings to it. A 1%-selective filter on
/// a million documents leaves ~10,000 candidates, fewer than the postings a pruned query reads, and no threshold has to
/// build up first (a filtered heap fills with lower scores, which weakens the pruned search's skipping). Exact: the
/// fine-block bound holds for every document, and documents arrive in increasing order, so ties lose as in the heap.
/// </summary>
internal static class FilterFirstSearch
{
    /// <summary>
    /// Filter first when the accepted documents number under a quarter of the query's postings in the segment: each
    /// costs up to one Advance per term, a posting read by the pruned search costs a decode; measured by
    /// <c>sparse bench --filters</c>.
    /// </summary>
    public const int PostingsPerCandidate = 4;

    public static bool Pays(AtomicReaderContext leaf, QueryPlan plan, int accepted)
    {
        var postings = 0L;
        foreach (var term in plan.Terms)
        {
            postings += leaf.AtomicReader.DocFreq(new Term(IndexFields.Impacts, term));
        }

        return (long)accepted * PostingsPerCandidate < postings;
    }

    public static void SearchLeaf(AtomicReaderContext leaf, QueryPlan plan, TopKHeap heap, FixedBitSet accepted, CancellationToken cancellation)
    {
        var count = plan.Count;
        var postings = LeafPostings.Open(leaf, plan, accepted);
        var maxima = new TermBlockMaxima[count];
        var current = new int[count];
        for (var i = 0; i < count; i++)
        {
            maxima[i] = postings[i] is null ? TermBlockMaxima.Absent : BlockMaxima.Of(leaf, plan.Terms[i]);
            current[i] = -1;
        }

        var maxDoc = leaf.AtomicReader.MaxDoc;
        using var fine = FineBlockBounds.Compute(BlockMaxima.FineBlockCount(maxDoc), plan.Weights, maxima);
        var threshold = heap.Threshold;
        var losing = fine.Losing(threshold);
        var visited = 0;
        for (var doc = accepted.NextSetBit(0); doc >= 0; doc = doc + 1 < maxDoc ? accepted.NextSetBit(doc + 1) : -1)
        {
            if ((++visited & 4095) == 0)
            {
                cancellation.ThrowIfCancellationRequested();
            }

            if (heap.Threshold != threshold)
            {
                threshold = heap.Threshold;
                losing = fine.Losing(threshold);
            }

            if (fine[doc >> BlockMaxima.FineBits] <= losing)
            {
                continue;
            }

            var score = 0L;
            for (var i = 0; i < count; i++)
            {
                var docs = postings[i];
                if (docs is null)
                {
                    continue;
                }

                if (current[i] < doc)
                {
                    current[i] = docs.Advance(doc);
                }

                if (current[i] == doc)
                {
                    score += plan.Weights[i] * docs.Freq;
                }
            }

            if (score != 0)
            {
                heap.Offer(score, leaf.DocBase + doc);
            }
        }
    }
}
