using Lucene.Net.Index;
using Lucene.Net.Util;
using SparseSearch.Core;

namespace SparseSearch.Index.Impact;

/// <summary>One document of a batch, quantized and ready to be written.</summary>
public sealed record ImpactDocument(string Id, string Title, string Text, IReadOnlyList<TermImpact> Impacts);

/// <summary>
/// A batch of quantized documents presented to Lucene as a read-only segment whose impact postings report the impact
/// as the term frequency. <c>IndexWriter.AddIndexes</c> merges it through the standard codec, so each posting is written
/// once with its impact, rather than emitting a term <c>impact</c> times through a token stream (measured at ~870
/// SPLADE-like docs/s that way). The result is an ordinary Lucene index.
/// </summary>
internal sealed class ImpactBatchReader : AtomicReader
{
    private readonly IReadOnlyList<ImpactDocument> _documents;
    private readonly bool _storeText;
    private readonly InMemoryPostings _impacts;
    private readonly InMemoryPostings _ids;
    private readonly FieldInfos _fieldInfos;
    private readonly BytesRef[] _idBytes;

    public ImpactBatchReader(IReadOnlyList<ImpactDocument> documents, bool storeText)
    {
        _documents = documents;
        _storeText = storeText;
        var impacts = new InMemoryPostings.Builder(withFreqs: true, documents.Sum(d => d.Impacts.Count));
        var ids = new InMemoryPostings.Builder(withFreqs: false, documents.Count);
        _idBytes = new BytesRef[documents.Count];
        for (var doc = 0; doc < documents.Count; doc++)
        {
            ids.Add(documents[doc].Id, doc, 1);
            _idBytes[doc] = new BytesRef(documents[doc].Id);
            var terms = documents[doc].Impacts;
            for (var i = 0; i < terms.Count; i++)
            {
                impacts.Add(terms[i].Term, doc, terms[i].Impact);
            }
        }

        _impacts = impacts.Build();
        _ids = ids.Build();
        var number = 0;
        var infos = new List<FieldInfo>
        {
            new(IndexFields.Id, true, number++, false, true, false, IndexOptions.DOCS_ONLY, DocValuesType.BINARY, DocValuesType.NONE, null),
            new(IndexFields.Impacts, true, number++, false, true, false, IndexOptions.DOCS_AND_FREQS, DocValuesType.NONE, DocValuesType.NONE, null),
        };
        if (storeText)
        {
            infos.Add(new FieldInfo(IndexFields.Title, false, number++, false, false, false, IndexOptions.NONE, DocValuesType.NONE, DocValuesType.NONE, null));
            infos.Add(new FieldInfo(IndexFields.Text, false, number, false, false, false, IndexOptions.NONE, DocValuesType.NONE, DocValuesType.NONE, null));
        }

        _fieldInfos = new FieldInfos(infos.ToArray());
    }

    public override Fields Fields => new BatchFields(this);

    public override FieldInfos FieldInfos => _fieldInfos;

    public override IBits? LiveDocs => null;

    public override int NumDocs => _documents.Count;

    public override int MaxDoc => _documents.Count;

    public override Fields? GetTermVectors(int docID) => null;

    public override void Document(int docID, StoredFieldVisitor visitor)
    {
        var document = _documents[docID];
        if (!Visit(visitor, IndexFields.Id, document.Id) || !_storeText)
        {
            return;
        }

        if (Visit(visitor, IndexFields.Title, document.Title))
        {
            Visit(visitor, IndexFields.Text, document.Text);
        }
    }

    private bool Visit(StoredFieldVisitor visitor, string field, string value)
    {
        var info = _fieldInfos.FieldInfo(field);
        switch (visitor.NeedsField(info))
        {
            case StoredFieldVisitor.Status.YES:
                visitor.StringField(info, value);
                return true;
            case StoredFieldVisitor.Status.NO:
                return true;
            default:
                return false;
        }
    }

    public override NumericDocValues? GetNumericDocValues(string field) => null;

    public override BinaryDocValues? GetBinaryDocValues(string field) => field == IndexFields.Id ? new IdValues(_idBytes) : null;

    public override SortedDocValues? GetSortedDocValues(string field) => null;

    public override SortedSetDocValues? GetSortedSetDocValues(string field) => null;

    public override IBits? GetDocsWithField(string field) => field == IndexFields.Id ? new Bits.MatchAllBits(MaxDoc) : null;

    public override NumericDocValues? GetNormValues(string field) => null;

    public override void CheckIntegrity()
    {
    }

    protected override void DoClose()
    {
    }

    private sealed class IdValues(BytesRef[] ids) : BinaryDocValues
    {
        public override void Get(int docID, BytesRef result)
        {
            var id = ids[docID];
            result.Bytes = id.Bytes;
            result.Offset = id.Offset;
            result.Length = id.Length;
        }
    }

    private sealed class BatchFields(ImpactBatchReader reader) : Fields
    {
        public override IEnumerator<string> GetEnumerator() => new List<string> { IndexFields.Id, IndexFields.Impacts }.GetEnumerator();

        public override Terms? GetTerms(string field) => field switch
        {
            IndexFields.Id => new InMemoryTerms(reader._ids),
            IndexFields.Impacts => new InMemoryTerms(reader._impacts),
            _ => null,
        };

        public override int Count => 2;
    }
}
