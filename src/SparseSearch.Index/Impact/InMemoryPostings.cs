using Lucene.Net.Index;
using Lucene.Net.Util;

namespace SparseSearch.Index.Impact;

/// <summary>
/// One field's postings for a batch of documents, built in memory: terms in Lucene's UTF-8 byte order, each with its
/// ascending document numbers and (when <see cref="HasFreqs"/>) the impacts that Lucene will see as frequencies.
/// </summary>
internal sealed class InMemoryPostings
{
    private readonly BytesRef[] _terms;
    private readonly int[][] _docs;
    private readonly int[][]? _freqs;
    private readonly int[] _counts;

    private InMemoryPostings(BytesRef[] terms, int[][] docs, int[][]? freqs, int[] counts, int docCount)
    {
        _terms = terms;
        _docs = docs;
        _freqs = freqs;
        _counts = counts;
        DocCount = docCount;
        for (var i = 0; i < terms.Length; i++)
        {
            SumDocFreq += counts[i];
            if (freqs is null)
            {
                continue;
            }

            for (var j = 0; j < counts[i]; j++)
            {
                SumTotalTermFreq += freqs[i][j];
            }
        }

        if (freqs is null)
        {
            SumTotalTermFreq = SumDocFreq;
        }
    }

    public bool HasFreqs => _freqs is not null;

    public int TermCount => _terms.Length;

    public long SumDocFreq { get; }

    public long SumTotalTermFreq { get; }

    public int DocCount { get; }

    public BytesRef Term(int ord) => _terms[ord];

    public int DocFreq(int ord) => _counts[ord];

    public long TotalTermFreq(int ord)
    {
        if (_freqs is null)
        {
            return _counts[ord];
        }

        long sum = 0;
        for (var j = 0; j < _counts[ord]; j++)
        {
            sum += _freqs[ord][j];
        }

        return sum;
    }

    public ReadOnlySpan<int> Docs(int ord) => _docs[ord].AsSpan(0, _counts[ord]);

    public ReadOnlySpan<int> Freqs(int ord) => _freqs is null ? default : _freqs[ord].AsSpan(0, _counts[ord]);

    /// <summary>Collects postings document by document (documents must be added in increasing order).</summary>
    public sealed class Builder(bool withFreqs)
    {
        private readonly Dictionary<string, Growable> _byTerm = new(StringComparer.Ordinal);
        private readonly HashSet<int> _docsWithField = [];

        public void Add(string term, int doc, int freq)
        {
            if (!_byTerm.TryGetValue(term, out var list))
            {
                list = new Growable(withFreqs);
                _byTerm[term] = list;
            }

            list.Add(doc, freq);
            _docsWithField.Add(doc);
        }

        public InMemoryPostings Build()
        {
            var entries = _byTerm.Select(e => (Bytes: new BytesRef(e.Key), List: e.Value)).ToArray();
            Array.Sort(entries, (x, y) => BytesRef.UTF8SortedAsUnicodeComparer.Compare(x.Bytes, y.Bytes));
            return new InMemoryPostings(
                entries.Select(e => e.Bytes).ToArray(),
                entries.Select(e => e.List.Docs).ToArray(),
                withFreqs ? entries.Select(e => e.List.Freqs!).ToArray() : null,
                entries.Select(e => e.List.Count).ToArray(),
                _docsWithField.Count);
        }
    }

    private sealed class Growable(bool withFreqs)
    {
        public int[] Docs = new int[4];
        public int[]? Freqs = withFreqs ? new int[4] : null;
        public int Count;

        public void Add(int doc, int freq)
        {
            if (Count == Docs.Length)
            {
                Array.Resize(ref Docs, Count * 2);
                if (Freqs is not null)
                {
                    Array.Resize(ref Freqs, Count * 2);
                }
            }

            Docs[Count] = doc;
            if (Freqs is not null)
            {
                Freqs[Count] = freq;
            }

            Count++;
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

internal sealed class InMemoryDocsEnum(InMemoryPostings postings, int ord, IBits? liveDocs) : DocsEnum
{
    private int _index = -1;
    private int _doc = -1;

    public override int DocID => _doc;

    public override int Freq => postings.HasFreqs ? postings.Freqs(ord)[_index] : 1;

    public override int NextDoc()
    {
        var docs = postings.Docs(ord);
        while (++_index < docs.Length)
        {
            if (liveDocs is null || liveDocs.Get(docs[_index]))
            {
                return _doc = docs[_index];
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

    public override long GetCost() => postings.DocFreq(ord);
}
