using Lucene.Net.Codecs;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;
using SparseSearch.Index.Approximate;

namespace SparseSearch.Index.Impact.Codec;

/// <summary>
/// Writes the postings through Lucene's own consumer and, term by term, the largest frequency (impact) it saw into the
/// segment's bounds file. Flushes, merges and AddIndexes all feed postings through these consumers (the base merge
/// calls StartTerm/StartDoc), so every segment gets its bounds however it was made.
/// File: header, then per field a 1 byte, the field name and its terms in order as (VInt length + 1, bytes, VInt max),
/// closed by VInt 0; a 0 byte after the last field; footer (checksummed).
/// </summary>
internal sealed class ImpactBoundsWriter : FieldsConsumer
{
    private readonly FieldsConsumer _postings;
    private readonly IndexOutput _output;
    private readonly SegmentWriteState _state;
    private readonly ApproximateIndexSettings? _approximate;
    private ApproximatePostingsCollector? _collector;

    public ImpactBoundsWriter(FieldsConsumer postings, SegmentWriteState state, ApproximateIndexSettings? approximate)
    {
        _postings = postings;
        _state = state;
        // Small segments (flushes, most of all) are searched exactly: collecting their postings would cost for nothing.
        _approximate = approximate is not null && state.SegmentInfo.DocCount >= approximate.MinSegmentDocuments ? approximate : null;
        _output = state.Directory.CreateOutput(ImpactBoundsPostingsFormat.FileName(state.SegmentInfo.Name, state.SegmentSuffix), state.Context);
        CodecUtil.WriteHeader(_output, ImpactBoundsPostingsFormat.CodecName, ImpactBoundsPostingsFormat.Version);
    }

    public override TermsConsumer AddField(FieldInfo field)
    {
        _output.WriteByte(1);
        _output.WriteString(field.Name);
        var collector = _approximate is not null && field.Name == IndexFields.Impacts
            ? _collector = new ApproximatePostingsCollector(_approximate, _state.SegmentInfo.DocCount)
            : null;
        return new Terms(_postings.AddField(field), _output, collector);
    }

    protected override void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        try
        {
            _output.WriteByte(0);
            CodecUtil.WriteFooter(_output);
            if (_collector is not null)
            {
                using var approximate = _state.Directory.CreateOutput(
                    ApproximateSegmentFormat.FileName(_state.SegmentInfo.Name, _state.SegmentSuffix), _state.Context);
                ApproximateSegmentFormat.WriteHeader(approximate);
                _collector.Write(approximate);
                CodecUtil.WriteFooter(approximate);
                _collector = null;
            }
        }
        finally
        {
            IOUtils.Dispose(_output, _postings);
        }
    }

    private sealed class Terms(TermsConsumer terms, IndexOutput output, ApproximatePostingsCollector? collector) : TermsConsumer
    {
        private readonly Postings _postings = new(collector);

        public override IComparer<BytesRef> Comparer => terms.Comparer;

        public override PostingsConsumer StartTerm(BytesRef text)
        {
            _postings.Start(terms.StartTerm(text));
            return _postings;
        }

        public override void FinishTerm(BytesRef text, TermStats stats)
        {
            terms.FinishTerm(text, stats);
            output.WriteVInt32(text.Length + 1);
            output.WriteBytes(text.Bytes, text.Offset, text.Length);
            output.WriteVInt32(_postings.MaxFrequency);
            collector?.FinishTerm();
        }

        public override void Finish(long sumTotalTermFreq, long sumDocFreq, int docCount)
        {
            terms.Finish(sumTotalTermFreq, sumDocFreq, docCount);
            output.WriteVInt32(0);
        }
    }

    private sealed class Postings(ApproximatePostingsCollector? collector) : PostingsConsumer
    {
        private PostingsConsumer _inner = null!;

        public int MaxFrequency { get; private set; }

        public void Start(PostingsConsumer inner)
        {
            _inner = inner;
            MaxFrequency = 0;
        }

        public override void StartDoc(int docId, int freq)
        {
            MaxFrequency = Math.Max(MaxFrequency, freq);
            collector?.Add(docId, freq);
            _inner.StartDoc(docId, freq);
        }

        public override void AddPosition(int position, BytesRef payload, int startOffset, int endOffset) =>
            _inner.AddPosition(position, payload, startOffset, endOffset);

        public override void FinishDoc() => _inner.FinishDoc();
    }
}
