using Lucene.Net.Store;
using Lucene.Net.Util;
using SparseSearch.Index.Approximate;

namespace SparseSearch.Tests.Index;

/// <summary>
/// The proposal step of approximate search (<see cref="PartialScoreWindows"/>, then <see cref="ProposalCut"/>): the
/// documents it proposes must be exactly the best by partial score (ties to the lower document), computed here straight
/// from the postings, with or without a filter that removes most documents (where its collection floor must give way),
/// over several windows.
/// </summary>
public class PartialScoreWindowsTests
{
    [Theory]
    [InlineData(1.0, 50)]
    [InlineData(1.0, 400)]
    [InlineData(0.1, 50)]
    [InlineData(0.02, 400)]
    public void Proposals_are_the_best_partial_scores_computed_from_the_postings(double acceptedShare, int wanted)
    {
        const int maxDoc = 100_000;
        const int terms = 30;
        var random = new Random(wanted + (int)(acceptedShare * 100));
        var postings = Enumerable.Range(0, terms).Select(t => Enumerable.Range(0, maxDoc).Where(_ => random.Next(60) == 0)
            .Select(d => (Doc: d, Impact: random.Next(1, t % 2 == 0 ? 255 : 1_000))).ToArray()).ToArray();
        var collector = new ApproximatePostingsCollector(new ApproximateIndexSettings { PostingsFraction = 1, MinPostingsPerTerm = maxDoc }, maxDoc);
        foreach (var list in postings)
        {
            foreach (var (doc, impact) in list)
            {
                collector.Add(doc, impact);
            }

            collector.FinishTerm();
        }

        using var directory = new RAMDirectory();
        using (var output = directory.CreateOutput("a", IOContext.DEFAULT))
        {
            collector.Write(output);
        }

        using var input = directory.OpenInput("a", IOContext.DEFAULT);
        var pruned = ApproximateSegmentFormat.Read(input, ApproximateSegmentFormat.Version).Pruned;

        var accepted = new FixedBitSet(maxDoc);
        for (var d = 0; d < maxDoc; d++)
        {
            if (random.NextDouble() < acceptedShare)
            {
                accepted.Set(d);
            }
        }

        int[] cut = [0, 1, 2, 3, 5, 8, 13, 21];
        var weights = cut.Select(_ => (long)random.Next(1, 50)).ToArray();
        // The reference: each kept impact rounded up to its term's step (the largest impact over 255), times the weight.
        var partial = new long[maxDoc];
        for (var i = 0; i < cut.Length; i++)
        {
            var list = postings[cut[i]];
            var step = Math.Max(1, (list.Max(p => p.Impact) + 254) / 255);
            Assert.Equal(step, pruned.Step(cut[i]));
            foreach (var (doc, impact) in list)
            {
                partial[doc] += weights[i] * step * ((impact + step - 1) / step);
            }
        }

        var expected = Enumerable.Range(0, maxDoc).Where(d => partial[d] > 0 && accepted.Get(d))
            .OrderByDescending(d => partial[d]).ThenBy(d => d).Take(wanted).Select(d => (d, partial[d])).ToArray();
        var stepWeights = cut.Select((t, i) => weights[i] * pruned.Step(t)).ToArray();
        var proposals = ProposalList.ForThisThread();
        PartialScoreWindows.Collect(pruned, cut, stepWeights, acceptedShare < 1 ? accepted : null, wanted, 0, proposals);
        var best = ProposalCut.Of(proposals.All, wanted);
        var proposed = proposals.All.ToArray().Where(best.Takes)
            .OrderByDescending(p => p.Partial).ThenBy(p => p.Doc).Select(p => (p.Doc, p.Partial)).ToArray();
        Assert.Equal(expected, proposed);
    }
}
