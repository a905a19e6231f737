using System.Buffers;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace SparseSearch.Index.Impact.TopK;

/// <summary>
/// Term at a time over every posting of every query term into a per-segment accumulator: the reference pruning must
/// equal, and the fastest way to score everything.
/// </summary>
internal static class ExhaustiveSearch
{
    public static void Search(IndexReader reader, QueryPlan plan, TopKHeap heap, Filters.AcceptedDocuments? accepted, CancellationToken cancellation)
    {
        foreach (var leaf in reader.Leaves)
        {
            cancellation.ThrowIfCancellationRequested();
            SearchLeaf(leaf, plan, heap, accepted?.Of(leaf.Ord));
        }
    }

    private static void SearchLeaf(AtomicReaderContext leaf, QueryPlan plan, TopKHeap heap, IBits? accepted)
    {
        var maxDoc = leaf.AtomicReader.MaxDoc;
        var postings = LeafPostings.Open(leaf, plan, accepted);
        var scores = ArrayPool<long>.Shared.Rent(maxDoc);
        var matched = new FixedBitSet(maxDoc);
        try
        {
            for (var i = 0; i < plan.Count; i++)
            {
                var docs = postings[i];
                if (docs is null)
                {
                    continue;
                }

                var weight = plan.Weights[i];
                int doc;
                while ((doc = docs.NextDoc()) != LeafPostings.NoMoreDocs)
                {
                    if (!matched.GetAndSet(doc))
                    {
                        scores[doc] = 0;
                    }

                    scores[doc] += weight * docs.Freq;
                }
            }

            var iterator = matched.GetIterator();
            int next;
            while ((next = iterator.NextDoc()) != DocIdSetIterator.NO_MORE_DOCS)
            {
                heap.Offer(scores[next], leaf.DocBase + next);
            }
        }
        finally
        {
            ArrayPool<long>.Shared.Return(scores);
        }
    }
}
