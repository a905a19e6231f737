using System.Runtime.InteropServices;
using Lucene.Net.Index;
using Lucene.Net.Util;

namespace SparseSearch.Index.Impact;

/// <summary>
/// One field's postings for a batch of documents, built in memory: terms in Lucene's UTF-8 byte order, each with its
/// ascending document numbers and (when <see cref="HasFreqs"/>) the impacts that Lucene will see as frequencies. All
/// postings live in two flat arrays, grouped by term with a counting sort, so a batch costs one hash lookup per posting
/// and no per-term lists to grow (growing lists of common terms was most of a batch's cost).
/// </summary>
internal sealed class InMemoryPostings
{
    private readonly BytesRef[] _terms;
    private readonly int[] _ordinalOfRank;
    private readonly int[] _start;
    private readonly int[] _docs;
    private readonly int[]? _freqs;
    private readonly long[] _totalTermFreq;

    private InMemoryPostings(BytesRef[] terms, int[] ordinalOfRank, int[] start, int[] docs, int[]? freqs, long[] totalTermFreq, int docCount)
    {
        _terms = terms;
        _ordinalOfRank = ordinalOfRank;
        _start = start;
        _docs = docs;
        _freqs = freqs;
        _totalTermFreq = totalTermFreq;
        DocCount = docCount;
        SumDocFreq = docs.Length;
        SumTotalTermFreq = totalTermFreq.Sum();
    }

    public bool HasFreqs => _freqs is not null;

    public int TermCount => _terms.Length;

    public long SumDocFreq { get; }

    public long SumTotalTermFreq { get; }

    public int DocCount { get; }

    /// <summary>The term of rank <paramref name="ord"/> in byte order.</summary>
    public BytesRef Term(int ord) => _terms[ord];

    public int DocFreq(int ord) => Slice(ord).Length;

    public long TotalTermFreq(int ord) => _totalTermFreq[_ordinalOfRank[ord]];

    /// <summary>The flat arrays and where term <paramref name="ord"/>'s postings lie in them (for a DocsEnum).</summary>
    public (int[] Docs, int[]? Freqs, int Start, int Length) Postings(int ord)
    {
        var (start, length) = Slice(ord);
        return (_docs, _freqs, start, length);
    }

    private (int Start, int Length) Slice(int ord)
    {
        var ordinal = _ordinalOfRank[ord];
        return (_start[ordinal], _start[ordinal + 1] - _start[ordinal]);
    }

    /// <summary>Collects postings document by document (documents must be added in increasing order).</summary>
    public sealed class Builder(bool withFreqs, int expectedPostings = 1024)
    {
        private readonly Dictionary<string, int> _ordinals = new(StringComparer.Ordinal);
        private readonly List<string> _termOfOrdinal = [];
        private readonly List<int> _counts = [];
        private int[] _ordinalOfPosting = new int[Math.Max(16, expectedPostings)];
        private int[] _docOfPosting = new int[Math.Max(16, expectedPostings)];
        private int[] _freqOfPosting = withFreqs ? new int[Math.Max(16, expectedPostings)] : [];
        private int _postings;
        private int _lastDoc = -1;
        private int _docsWithField;

        public void Add(string term, int doc, int freq)
        {
            ref var ordinal = ref CollectionsMarshal.GetValueRefOrAddDefault(_ordinals, term, out var known);
            if (!known)
            {
                ordinal = _termOfOrdinal.Count;
                _termOfOrdinal.Add(term);
                _counts.Add(0);
            }

            if (_postings == _ordinalOfPosting.Length)
            {
                Array.Resize(ref _ordinalOfPosting, _postings * 2);
                Array.Resize(ref _docOfPosting, _postings * 2);
                if (withFreqs)
                {
                    Array.Resize(ref _freqOfPosting, _postings * 2);
                }
            }

            _ordinalOfPosting[_postings] = ordinal;
            _docOfPosting[_postings] = doc;
            if (withFreqs)
            {
                _freqOfPosting[_postings] = freq;
            }

            _postings++;
            CollectionsMarshal.AsSpan(_counts)[ordinal]++;
            if (doc != _lastDoc)
            {
                _docsWithField++;
                _lastDoc = doc;
            }
        }

        public InMemoryPostings Build()
        {
            var termCount = _termOfOrdinal.Count;
            var start = new int[termCount + 1];
            var counts = CollectionsMarshal.AsSpan(_counts);
            for (var t = 0; t < termCount; t++)
            {
                start[t + 1] = start[t] + counts[t];
            }

            // Counting sort by term: postings were added in document order, so each term's stay ascending.
            var next = start[..termCount];
            var docs = new int[_postings];
            var freqs = withFreqs ? new int[_postings] : null;
            var total = new long[termCount];
            for (var p = 0; p < _postings; p++)
            {
                var ordinal = _ordinalOfPosting[p];
                var at = next[ordinal]++;
                docs[at] = _docOfPosting[p];
                var freq = withFreqs ? _freqOfPosting[p] : 1;
                if (freqs is not null)
                {
                    freqs[at] = freq;
                }

                total[ordinal] += freq;
            }

            var bytes = _termOfOrdinal.Select(t => new BytesRef(t)).ToArray();
            var ordinalOfRank = Enumerable.Range(0, termCount).ToArray();
            Array.Sort(ordinalOfRank, (x, y) => BytesRef.UTF8SortedAsUnicodeComparer.Compare(bytes[x], bytes[y]));
            var sortedTerms = ordinalOfRank.Select(o => bytes[o]).ToArray();
            return new InMemoryPostings(sortedTerms, ordinalOfRank, start, docs, freqs, total, _docsWithField);
        }
    }
}

/// <summary>Lucene's view of one <see cref="InMemoryPostings"/> field.</summary>
internal sealed class InMemoryTerms(InMemoryPostings postings) : Terms
{
    public override TermsEnum GetEnumerator() => new InMemoryTermsEnum(postings);

    public override IComparer<BytesRef> Comparer => BytesRef.UTF8SortedAsUnicodeComparer;

    public override long Count => postings.TermCount;

    public override long SumTotalTermFreq => postings.SumTotalTermFreq;

    public override long SumDocFreq => postings.SumDocFreq;

    public override int DocCount => postings.DocCount;

    public override bool HasFreqs => postings.HasFreqs;

    public override bool HasOffsets => false;

    public override bool HasPositions => false;

    public override bool HasPayloads => false;
}

internal sealed class InMemoryTermsEnum(InMemoryPostings postings) : TermsEnum
{
    private int _ord = -1;

    public override IComparer<BytesRef> Comparer => BytesRef.UTF8SortedAsUnicodeComparer;

    public override BytesRef Term => postings.Term(_ord);

    public override long Ord => _ord;

    public override int DocFreq => postings.DocFreq(_ord);

    public override long TotalTermFreq => postings.TotalTermFreq(_ord);

    public override bool MoveNext()
    {
        if (_ord + 1 >= postings.TermCount)
        {
            _ord = postings.TermCount;
            return false;
        }

        _ord++;
        return true;
    }

    [Obsolete("Lucene.Net keeps Next() abstract for compatibility; MoveNext() is the API.")]
    public override BytesRef? Next() => MoveNext() ? Term : null;

    public override SeekStatus SeekCeil(BytesRef text)
    {
        int lo = 0, hi = postings.TermCount - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = BytesRef.UTF8SortedAsUnicodeComparer.Compare(postings.Term(mid), text);
            if (c == 0)
            {
                _ord = mid;
                return SeekStatus.FOUND;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        _ord = lo;
        return lo >= postings.TermCount ? SeekStatus.END : SeekStatus.NOT_FOUND;
    }

    public override void SeekExact(long ord) => _ord = (int)ord;

    public override DocsEnum Docs(IBits? liveDocs, DocsEnum? reuse, DocsFlags flags) => new InMemoryDocsEnum(postings, _ord, liveDocs);

    public override DocsAndPositionsEnum? DocsAndPositions(IBits? liveDocs, DocsAndPositionsEnum? reuse, DocsAndPositionsFlags flags) => null;
}

internal sealed class InMemoryDocsEnum : DocsEnum
{
    private readonly int[] _docs;
    private readonly int[]? _freqs;
    private readonly int _end;
    private readonly IBits? _liveDocs;
    private readonly int _cost;
    private int _index;
    private int _doc = -1;

    public InMemoryDocsEnum(InMemoryPostings postings, int ord, IBits? liveDocs)
    {
        (_docs, _freqs, var start, var length) = postings.Postings(ord);
        _index = start - 1;
        _end = start + length;
        _cost = length;
        _liveDocs = liveDocs;
    }

    public override int DocID => _doc;

    public override int Freq => _freqs is null ? 1 : _freqs[_index];

    public override int NextDoc()
    {
        while (++_index < _end)
        {
            if (_liveDocs is null || _liveDocs.Get(_docs[_index]))
            {
                return _doc = _docs[_index];
            }
        }

        return _doc = NO_MORE_DOCS;
    }

    public override int Advance(int target)
    {
        int doc;
        while ((doc = NextDoc()) < target)
        {
        }

        return doc;
    }

    public override long GetCost() => _cost;
}
