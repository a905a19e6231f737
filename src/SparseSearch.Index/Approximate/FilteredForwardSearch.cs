using Lucene.Net.Index;
using Lucene.Net.Util;
using SparseSearch.Index.Impact.Codec;
using SparseSearch.Index.Impact.TopK;

namespace SparseSearch.Index.Approximate;

/// <summary>
/// Exact top k under a selective filter, document at a time: where a segment carries a forward index (built with the
/// approximate structures), each accepted document whose fine block can still beat the k-th score is scored from its
/// own entries. Postings-first search reads every query term's postings in each block that holds an accepted document,
/// which under a 1% filter is most blocks; this reads only the accepted documents. Scores are the same exact
/// fixed-point sums and documents come in increasing order, so ties fall as they do in the other algorithms.
/// </summary>
internal static class FilteredForwardSearch
{
    /// <summary>
    /// Accepted documents, as a fraction of the segment, up to which scoring them one by one is chosen over reading
    /// postings (<see cref="ImpactIndexSearcher.ForwardFilterFraction"/>). Measured on the 1M bench (eval/RESULTS.md).
    /// </summary>
    public const double DefaultMaxAcceptedFraction = 0.05;

    /// <summary>Segments searched this way since the process started (what tests check the path by).</summary>
    public static long SegmentsSearched => Interlocked.Read(ref _segmentsSearched);

    private static long _segmentsSearched;

    /// <summary>
    /// Searches the segment this way and returns true, or returns false where it has no forward index or the filter
    /// accepts more than <paramref name="maxAcceptedFraction"/> of it.
    /// </summary>
    public static bool TrySearch(AtomicReaderContext leaf, QueryPlan plan, TopKHeap heap, FixedBitSet accepted, FineBlockBounds fine,
        double maxAcceptedFraction, CancellationToken cancellation)
    {
        if (leaf.AtomicReader.GetTerms(IndexFields.Impacts) is not BoundedTerms { Approximate: { Forward: { } forward } segment } terms)
        {
            return false;
        }

        var maxDoc = leaf.AtomicReader.MaxDoc;
        if (accepted.Cardinality > maxDoc * maxAcceptedFraction)
        {
            return false;
        }

        Interlocked.Increment(ref _segmentsSearched);
        var ordinals = plan.Terms.Select(t => terms.Ordinal(new BytesRef(t))).ToArray();
        OrdinalWeights.With(segment.Pruned.TermCount, ordinals, plan, weights =>
        {
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

                // Positive weights: 0 means no query term is in the document, which no other algorithm offers either.
                var score = forward.Score(doc, weights);
                if (score > 0)
                {
                    heap.Offer(score, leaf.DocBase + doc);
                }
            }
        });
        return true;
    }
}
