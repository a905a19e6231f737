using Lucene.Net.Index;

namespace SparseSearch.Index.Impact;

/// <summary>
/// Merging for a bulk build that ends with a forced merge. Batches pile up unmerged (up to
/// <see cref="ImpactIndexWriter.BulkSegmentsPerMerge"/>, then merged that many at a time), since every merge before the
/// last rewrites postings the last one writes again. The forced merge to n segments is split into n merges of
/// consecutive segments with about equal document counts, which Lucene runs on n threads: a single merge is
/// single-threaded and was a quarter of a million-document build with a core idle (Lucene's own policy, asked for n
/// segments, merges all but the largest n − 1 into one).
/// </summary>
internal sealed class BulkMergePolicy : TieredMergePolicy
{
    public BulkMergePolicy()
    {
        NoCFSRatio = 0;
        SegmentsPerTier = ImpactIndexWriter.BulkSegmentsPerMerge;
        MaxMergeAtOnce = ImpactIndexWriter.BulkSegmentsPerMerge;
        MaxMergeAtOnceExplicit = ImpactIndexWriter.BulkSegmentsPerMerge;
    }

    public override MergeSpecification? FindForcedMerges(SegmentInfos infos, int maxSegmentCount, IDictionary<SegmentCommitInfo, bool> segmentsToMerge)
    {
        var merging = m_writer.Get().MergingSegments;
        var candidates = infos.Segments.Where(segmentsToMerge.ContainsKey).ToList();
        if (candidates.Count <= maxSegmentCount || candidates.Any(merging.Contains))
        {
            // Done, or merges are running: Lucene asks again when they finish.
            return null;
        }

        if (candidates.Count > ImpactIndexWriter.BulkSegmentsPerMerge * maxSegmentCount)
        {
            // Too many segments to merge in one pass: Lucene's policy brings them down in steps first.
            return base.FindForcedMerges(infos, maxSegmentCount, segmentsToMerge);
        }

        var remaining = candidates.Sum(s => (long)s.Info.DocCount);
        var specification = new MergeSpecification();
        var group = new List<SegmentCommitInfo>();
        var groupDocuments = 0L;
        var groupsLeft = maxSegmentCount;
        foreach (var segment in candidates)
        {
            // Close the group before this segment when that lands nearer its share of what is left than taking it.
            var share = (double)(groupDocuments + remaining) / groupsLeft;
            if (groupsLeft > 1 && group.Count > 0 && groupDocuments + segment.Info.DocCount - share > share - groupDocuments)
            {
                AddMerge(specification, group);
                group = [];
                groupDocuments = 0;
                groupsLeft--;
            }

            group.Add(segment);
            groupDocuments += segment.Info.DocCount;
            remaining -= segment.Info.DocCount;
        }

        AddMerge(specification, group);
        return specification.Merges.Count > 0 ? specification : null;
    }

    private static void AddMerge(MergeSpecification specification, List<SegmentCommitInfo> group)
    {
        if (group.Count > 1)
        {
            specification.Add(new OneMerge(group));
        }
    }
}
