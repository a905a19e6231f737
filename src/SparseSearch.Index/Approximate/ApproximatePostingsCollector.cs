using Lucene.Net.Store;

namespace SparseSearch.Index.Approximate;

/// <summary>
/// Gathers one segment's impact postings as the codec writes them (term by term, documents ascending) and, when the
/// field is finished, writes the segment's approximate structures (<see cref="ApproximateSegmentFormat"/>): the
/// forward index, which needs the postings turned document-major, and each term's highest-impact postings. Postings are
/// held in two flat arrays, 8 bytes each, until then: memory grows with the segment being written, which is why small
/// segments (flushes) get no approximate structures.
/// </summary>
internal sealed class ApproximatePostingsCollector(ApproximateIndexSettings settings, int maxDoc)
{
    private readonly List<int> _termStarts = [0];
    private int[] _docs = new int[1024];
    private int[] _impacts = new int[1024];
    private int _count;
    private int _docLimit = maxDoc;

    public void Add(int doc, int impact)
    {
        if (_count == _docs.Length)
        {
            var grown = (int)Math.Min(Array.MaxLength, _docs.Length * 2L);
            Array.Resize(ref _docs, grown);
            Array.Resize(ref _impacts, grown);
        }

        _docs[_count] = doc;
        _impacts[_count++] = impact;
        _docLimit = Math.Max(_docLimit, doc + 1);
    }

    public void FinishTerm() => _termStarts.Add(_count);

    public void Write(IndexOutput output)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var terms = _termStarts.Count - 1;
        var starts = _termStarts.ToArray();
        output.WriteVInt32(_docLimit);
        output.WriteVInt32(terms);
        ApproximateSegmentFormat.WritePrunedLists(output, starts, _docs, _impacts, settings.PostingsPerTerm(_docLimit));
        ForwardIndexFormat.Write(output, starts, _docs, _impacts, _docLimit);
        ApproximateBuildClock.Add(System.Diagnostics.Stopwatch.GetTimestamp() - started);
    }
}
