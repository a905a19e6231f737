using Lucene.Net.Index;
using Lucene.Net.Util;
using SparseSearch.Index.Impact.Codec;
using SparseSearch.Index.Impact.TopK;

namespace SparseSearch.Index.Approximate;

/// <summary>
/// Approximate top k over the segments that carry approximate structures (<see cref="ApproximateSegment"/>), in the
/// manner of Seismic (Bruch et al., SIGIR 2024) without its block summaries: in each segment the query's heaviest terms
/// (<see cref="ApproximateSearchSettings.QueryTerms"/>) read their statically pruned lists and add up partial scores;
/// the best <see cref="ApproximateSearchSettings.Candidates"/> documents by partial score, over all segments, are then
/// scored exactly, over every query term, from the forward index. Every returned score is the exact dot product, so
/// approximate and exact segments share one heap; what may be missed is a document the read postings did not rank
/// among the candidates. Segments without the structures (small ones, or an index built without them) are searched
/// exactly.
/// </summary>
internal static class ApproximateSearch
{
    private const int PrefetchAhead = 4;

    /// <returns>How many segments were searched approximately.</returns>
    public static int Search(IndexReader reader, QueryPlan plan, TopKHeap heap, Filters.AcceptedDocuments? accepted,
        ApproximateSearchSettings settings, CancellationToken cancellation)
    {
        // Never fewer candidates than hits wanted: a top 1,000 from 600 candidates would come back short.
        var wanted = Math.Max(settings.Candidates, heap.Capacity);
        var exact = new List<AtomicReaderContext>();
        var segments = new List<(AtomicReaderContext Leaf, ApproximateSegment Segment, int[] Ordinals, int From, int To)>();
        var proposals = ProposalList.ForThisThread();
        foreach (var leaf in reader.Leaves)
        {
            cancellation.ThrowIfCancellationRequested();
            if (leaf.AtomicReader.GetTerms(IndexFields.Impacts) is BoundedTerms { Approximate: { Forward: { } } segment } terms)
            {
                IBits? filter = accepted is null ? leaf.AtomicReader.LiveDocs : accepted.Of(leaf.Ord);
                var ordinals = new int[plan.Count];
                var from = proposals.Count;
                Propose(segment, terms, plan, ordinals, filter, settings.QueryTerms, wanted, leaf.DocBase, proposals);
                segments.Add((leaf, segment, ordinals, from, proposals.Count));
            }
            else
            {
                exact.Add(leaf);
            }
        }

        // The best candidates over all segments: partial scores are comparable across them (weight × impact).
        var cut = ProposalCut.Of(proposals.All, wanted);
        var docs = new List<int>();
        foreach (var (leaf, segment, ordinals, from, to) in segments)
        {
            docs.Clear();
            cut.AddTaken(proposals.All[from..to], leaf.DocBase, docs);
            // In document order, the forward index is read front to back (its prefetches running ahead of the reads).
            docs.Sort();
            Score(leaf.DocBase, segment, ordinals, plan, docs, heap);
        }

        // Exact segments last: the approximate ones have raised the threshold their pruning starts from.
        foreach (var leaf in exact)
        {
            BlockMaxScoreSearch.SearchLeaf(leaf, plan, heap, accepted?.Of(leaf.Ord), cancellation);
        }

        return segments.Count;
    }

    /// <summary>
    /// Seeds an exact search's heap with the exactly scored best candidates of the approximate structures, where the
    /// segments carry them: pruning then starts from a k-th score near the final one instead of from nothing. The
    /// result stays exact (<see cref="TopKHeap.Seed"/>).
    /// </summary>
    public static void Seed(IndexReader reader, QueryPlan plan, TopKHeap heap, Filters.AcceptedDocuments? accepted)
    {
        foreach (var leaf in reader.Leaves)
        {
            if (leaf.AtomicReader.GetTerms(IndexFields.Impacts) is BoundedTerms { Approximate: { Forward: { } } segment } terms)
            {
                IBits? filter = accepted is null ? leaf.AtomicReader.LiveDocs : accepted.Of(leaf.Ord);
                var ordinals = new int[plan.Count];
                var proposals = ProposalList.ForThisThread();
                var wanted = Math.Max(SeedCandidates, heap.Capacity);
                Propose(segment, terms, plan, ordinals, filter, SeedQueryTerms, wanted, 0, proposals);
                var docs = new List<int>();
                ProposalCut.Of(proposals.All, wanted).AddTaken(proposals.All, 0, docs);
                Score(leaf.DocBase, segment, ordinals, plan, docs, heap, seed: true);
            }
        }
    }

    private const int SeedQueryTerms = 8;
    private const int SeedCandidates = 32;

    /// <summary>Appends a segment's proposals over the query's heaviest terms' pruned lists (<see cref="PartialScoreWindows.Collect"/>).</summary>
    /// <param name="ordinals">Filled with each plan term's ordinal in the segment (-1: absent), for the exact scoring after.</param>
    private static void Propose(ApproximateSegment segment, BoundedTerms terms, QueryPlan plan, int[] ordinals, IBits? accepted,
        int queryTerms, int candidates, int docBase, ProposalList proposals)
    {
        var bounds = new long[plan.Count];
        for (var i = 0; i < plan.Count; i++)
        {
            ordinals[i] = terms.Ordinal(new BytesRef(plan.Terms[i]));
            bounds[i] = ordinals[i] >= 0 ? plan.Weights[i] * terms.MaxImpactAt(ordinals[i]) : 0;
        }

        // The heaviest terms by weight × the segment's largest impact, as Seismic's query-term cut.
        var cut = Enumerable.Range(0, plan.Count).Where(i => ordinals[i] >= 0).OrderByDescending(i => bounds[i]).ThenBy(i => i)
            .Take(queryTerms).ToArray();
        var cutOrdinals = cut.Select(i => ordinals[i]).ToArray();
        var cutWeights = cut.Select(i => plan.Weights[i] * segment.Pruned.Step(ordinals[i])).ToArray();
        PartialScoreWindows.Collect(segment.Pruned, cutOrdinals, cutWeights, accepted, candidates, docBase, proposals);
    }

    /// <summary>Scores a segment's chosen candidates exactly from its forward index, into the heap.</summary>
    private static void Score(int docBase, ApproximateSegment segment, int[] ordinals, QueryPlan plan, List<int> docs, TopKHeap heap, bool seed = false)
    {
        if (docs.Count == 0)
        {
            return;
        }

        var forward = segment.Forward!;
        OrdinalWeights.With(segment.Pruned.TermCount, ordinals, plan, weightByTerm =>
        {
            for (var c = 0; c < docs.Count; c++)
            {
                // Memory-level parallelism: the entries of the candidate PrefetchAhead on, and the start of one twice as far.
                if (c + PrefetchAhead < docs.Count)
                {
                    forward.Prefetch(docs[c + PrefetchAhead], docs[Math.Min(docs.Count - 1, c + (2 * PrefetchAhead))]);
                }

                var score = forward.Score(docs[c], weightByTerm);
                if (seed)
                {
                    heap.Seed(score, docBase + docs[c]);
                }
                else
                {
                    heap.Offer(score, docBase + docs[c]);
                }
            }
        });
    }
}
