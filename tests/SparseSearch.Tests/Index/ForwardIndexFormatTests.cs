using Lucene.Net.Store;
using SparseSearch.Index.Approximate;

namespace SparseSearch.Tests.Index;

/// <summary>
/// The forward index's file part (<see cref="ForwardIndexFormat"/>) written and read back, and the previous formats
/// (3 and 4) converted as they open: every document's score from it must equal the dot product computed straight from the
/// postings, whatever its impacts of 255 or more (none, a few kept in its run, too many or too large for the run).
/// </summary>
public class ForwardIndexFormatTests
{
    [Theory]
    [InlineData(600)]
    [InlineData(70_000)]
    public void Scores_equal_the_postings_dot_product_for_every_kind_of_large_impact(int terms)
    {
        var (termStarts, docs, impacts, maxDoc) = Postings(terms, new Random(terms));
        using var directory = new RAMDirectory();
        using (var output = directory.CreateOutput("f", IOContext.DEFAULT))
        {
            ForwardIndexFormat.Write(output, termStarts, docs, impacts, maxDoc);
        }

        using var input = directory.OpenInput("f", IOContext.DEFAULT);
        var forward = ForwardIndexFormat.Read(input, maxDoc, ApproximateSegmentFormat.Version)!;
        AssertScores(forward, termStarts, docs, impacts, maxDoc, terms);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void An_older_forward_index_is_converted_as_it_opens(int version)
    {
        const int terms = 600;
        var (termStarts, docs, impacts, maxDoc) = Postings(terms, new Random(version));
        using var directory = new RAMDirectory();
        using (var output = directory.CreateOutput("old", IOContext.DEFAULT))
        {
            if (version == 3)
            {
                WriteFormat3(output, termStarts, docs, impacts, maxDoc);
            }
            else
            {
                WriteFormat4(output, termStarts, docs, impacts, maxDoc);
            }
        }

        using var input = directory.OpenInput("old", IOContext.DEFAULT);
        var forward = ForwardIndexFormat.Read(input, maxDoc, version)!;
        AssertScores(forward, termStarts, docs, impacts, maxDoc, terms);
    }

    /// <summary>
    /// Term-major postings (documents ascending in each term) over 40 documents: most with impacts under 255, some with a
    /// few above it, one with 300 impacts of 255 or more (too many to keep in its run), one with an impact of 100,000
    /// (too large), and one with no terms at all.
    /// </summary>
    private static (int[] TermStarts, int[] Docs, int[] Impacts, int MaxDoc) Postings(int terms, Random random)
    {
        const int maxDoc = 40;
        var byDoc = new Dictionary<int, int>[maxDoc];
        for (var d = 0; d < maxDoc; d++)
        {
            byDoc[d] = [];
            var count = d == 7 ? 0 : d == 5 ? 320 : random.Next(1, 80);
            while (byDoc[d].Count < count)
            {
                var impact = d == 5 && byDoc[d].Count < 300 ? random.Next(255, 2_000)
                    : d % 3 == 0 && random.Next(10) == 0 ? random.Next(255, 400)
                    : random.Next(1, 255);
                byDoc[d][random.Next(terms)] = impact;
            }
        }

        byDoc[11][terms - 1] = 100_000;
        var termStarts = new int[terms + 1];
        var docs = new List<int>();
        var impacts = new List<int>();
        for (var t = 0; t < terms; t++)
        {
            for (var d = 0; d < maxDoc; d++)
            {
                if (byDoc[d].TryGetValue(t, out var impact))
                {
                    docs.Add(d);
                    impacts.Add(impact);
                }
            }

            termStarts[t + 1] = docs.Count;
        }

        Assert.True(byDoc[5].Values.Count(i => i >= 255) > 254, "the test needs a document with too many large impacts for its run");
        return (termStarts, [.. docs], [.. impacts], maxDoc);
    }

    private static void AssertScores(ForwardIndex forward, int[] termStarts, int[] docs, int[] impacts, int maxDoc, int terms)
    {
        var random = new Random(5);
        for (var q = 0; q < 20; q++)
        {
            var weights = new long[terms];
            for (var i = 0; i < weights.Length; i++)
            {
                weights[i] = random.Next(3) == 0 ? random.Next(1, 1_000_000) : 0;
            }

            var expected = new long[maxDoc];
            for (var t = 0; t < terms; t++)
            {
                for (var p = termStarts[t]; p < termStarts[t + 1]; p++)
                {
                    expected[docs[p]] += weights[t] * impacts[p];
                }
            }

            for (var d = 0; d < maxDoc; d++)
            {
                Assert.True(expected[d] == forward.Score(d, weights), $"document {d}, query {q}: {forward.Score(d, weights)}, expected {expected[d]}");
            }
        }
    }

    /// <summary>Format 3 as it was written, independently of the converter: runs of ordinals then capped impact bytes, every impact of 255 or more listed after.</summary>
    private static void WriteFormat3(IndexOutput output, int[] termStarts, int[] docs, int[] impacts, int maxDoc)
    {
        var entries = ByDocument(termStarts, docs, impacts, maxDoc);
        output.WriteByte(1);
        foreach (var run in entries)
        {
            output.WriteVInt32(run.Count);
        }

        foreach (var run in entries)
        {
            foreach (var (term, _) in run)
            {
                output.WriteByte((byte)(term & 0xFF));
                output.WriteByte((byte)(term >> 8));
            }

            foreach (var (_, impact) in run)
            {
                output.WriteByte((byte)Math.Min(impact, 255));
            }
        }

        WriteExceptionList(output, entries.SelectMany((run, d) => run.Select((e, i) => (Doc: d, Entry: i, e.Impact))).Where(e => e.Impact >= 255).ToList());
    }

    /// <summary>
    /// Format 4 as it was written, independently of the converter: per document a byte of its impacts of 255 or more
    /// (255: too many, or one too large, and those listed after all runs), its ordinals, capped impact bytes, then
    /// each capped impact's excess over 255 as 16 bits, in entry order.
    /// </summary>
    private static void WriteFormat4(IndexOutput output, int[] termStarts, int[] docs, int[] impacts, int maxDoc)
    {
        var entries = ByDocument(termStarts, docs, impacts, maxDoc);
        var runs = new List<byte[]>();
        var listed = new List<(int Doc, int Entry, int Impact)>();
        for (var d = 0; d < maxDoc; d++)
        {
            var large = entries[d].Where(e => e.Impact >= 255).ToList();
            var inline = large.Count < 255 && large.All(e => e.Impact - 255 <= ushort.MaxValue);
            var run = new List<byte> { (byte)(inline ? large.Count : 255) };
            foreach (var (term, _) in entries[d])
            {
                run.Add((byte)(term & 0xFF));
                run.Add((byte)(term >> 8));
            }

            run.AddRange(entries[d].Select(e => (byte)Math.Min(e.Impact, 255)));
            for (var i = 0; i < entries[d].Count; i++)
            {
                var impact = entries[d][i].Impact;
                if (impact >= 255 && inline)
                {
                    run.Add((byte)((impact - 255) & 0xFF));
                    run.Add((byte)((impact - 255) >> 8));
                }
                else if (impact >= 255)
                {
                    listed.Add((d, i, impact));
                }
            }

            runs.Add([.. run]);
        }

        output.WriteByte(1);
        foreach (var run in runs)
        {
            output.WriteVInt32(run.Length);
        }

        foreach (var run in runs)
        {
            output.WriteBytes(run, run.Length);
        }

        WriteExceptionList(output, listed);
    }

    private static List<(int Term, int Impact)>[] ByDocument(int[] termStarts, int[] docs, int[] impacts, int maxDoc)
    {
        var entries = Enumerable.Range(0, maxDoc).Select(_ => new List<(int Term, int Impact)>()).ToArray();
        for (var t = 0; t + 1 < termStarts.Length; t++)
        {
            for (var p = termStarts[t]; p < termStarts[t + 1]; p++)
            {
                entries[docs[p]].Add((t, impacts[p]));
            }
        }

        return entries;
    }

    private static void WriteExceptionList(IndexOutput output, List<(int Doc, int Entry, int Impact)> exceptions)
    {
        output.WriteVInt32(exceptions.Count);
        var previous = 0;
        foreach (var (doc, entry, impact) in exceptions)
        {
            output.WriteVInt32(doc - previous);
            output.WriteVInt32(entry);
            output.WriteVInt32(impact);
            previous = doc;
        }
    }
}
