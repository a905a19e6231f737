using Lucene.Net.Index;
using Lucene.Net.Util;
using SparseSearch.Core;

namespace SparseSearch.Index.Impact;

/// <summary>One document of a batch, quantized and ready to be written.</summary>
public sealed record ImpactDocument(string Id, string Title, string Text, IReadOnlyList<TermImpact> Impacts)
{
    /// <summary>Filterable fields, stored and returned with the document.</summary>
    public DocumentMetadata? Metadata { get; init; }

    /// <summary>In a chunked index: the document this chunk belongs to, and where in its text the chunk lies.</summary>
    public string? Parent { get; init; }

    public Chunking.TextChunk Chunk { get; init; }

    /// <summary>
    /// The record's position in the corpus it was built from, stored in shards of a cluster: the cluster breaks score
    /// ties by it, as one node breaks them by its document numbers (corpus order). Null elsewhere.
    /// </summary>
    public long? Sequence { get; init; }
}

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
    private readonly SortedDictionary<string, InMemoryPostings> _metadata = new(StringComparer.Ordinal);
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
        BuildMetadataPostings(documents);
        var number = 0;
        var infos = new List<FieldInfo>
        {
            new(IndexFields.Id, true, number++, false, true, false, IndexOptions.DOCS_ONLY, DocValuesType.BINARY, DocValuesType.NONE, null),
            new(IndexFields.Impacts, true, number++, false, true, false, IndexOptions.DOCS_AND_FREQS, DocValuesType.NONE, DocValuesType.NONE, null),
        };
        if (storeText)
        {
            infos.Add(new FieldInfo(IndexFields.Title, false, number++, false, false, false, IndexOptions.NONE, DocValuesType.NONE, DocValuesType.NONE, null));
            infos.Add(new FieldInfo(IndexFields.Text, false, number++, false, false, false, IndexOptions.NONE, DocValuesType.NONE, DocValuesType.NONE, null));
        }

        if (documents.Any(d => d.Metadata is not null))
        {
            infos.Add(new FieldInfo(IndexFields.Metadata, false, number++, false, false, false, IndexOptions.NONE, DocValuesType.NONE, DocValuesType.NONE, null));
        }

        if (documents.Any(d => d.Parent is not null))
        {
            infos.Add(new FieldInfo(IndexFields.Span, false, number++, false, false, false, IndexOptions.NONE, DocValuesType.NONE, DocValuesType.NONE, null));
        }

        if (documents.Any(d => d.Sequence is not null))
        {
            infos.Add(new FieldInfo(IndexFields.Sequence, false, number++, false, false, false, IndexOptions.NONE, DocValuesType.NONE, DocValuesType.NONE, null));
        }

        foreach (var field in _metadata.Keys)
        {
            infos.Add(new FieldInfo(field, true, number++, false, true, false, IndexOptions.DOCS_ONLY, DocValuesType.NONE, DocValuesType.NONE, null));
        }

        _fieldInfos = new FieldInfos(infos.ToArray());
    }

    /// <summary>Each metadata field's terms; a document's repeated values (or shared trie prefixes) are posted once.</summary>
    private void BuildMetadataPostings(IReadOnlyList<ImpactDocument> documents)
    {
        var builders = new Dictionary<string, InMemoryPostings.Builder>(StringComparer.Ordinal);
        var seen = new HashSet<(string, string)>();
        for (var doc = 0; doc < documents.Count; doc++)
        {
            var document = documents[doc];
            if (document.Metadata is null && document.Parent is null)
            {
                continue;
            }

            seen.Clear();
            foreach (var (field, term) in IndexedTerms(document))
            {
                if (seen.Add((field, term)))
                {
                    if (!builders.TryGetValue(field, out var builder))
                    {
                        builders[field] = builder = new InMemoryPostings.Builder(withFreqs: false);
                    }

                    builder.Add(term, doc, 1);
                }
            }
        }

        foreach (var (field, builder) in builders)
        {
            _metadata[field] = builder.Build();
        }
    }

    /// <summary>A document's metadata terms, and a chunk's parent and ordinal.</summary>
    private static IEnumerable<(string Field, string Term)> IndexedTerms(ImpactDocument document)
    {
        if (document.Parent is { } parent)
        {
            yield return (IndexFields.Parent, parent);
            foreach (var (_, term) in Filters.MetadataTerms.Of(new MetadataValue(IndexFields.ChunkOrdinal, null, document.Chunk.Ordinal)))
            {
                yield return (IndexFields.ChunkOrdinal, term);
            }
        }

        foreach (var value in document.Metadata?.Values ?? [])
        {
            foreach (var pair in Filters.MetadataTerms.Of(value))
            {
                yield return pair;
            }
        }
    }

    public override Fields Fields => new BatchFields(this);

    public override FieldInfos FieldInfos => _fieldInfos;

    public override IBits? LiveDocs => null;

    public override int NumDocs => _documents.Count;

    public override int MaxDoc => _documents.Count;

    public override Fields? GetTermVectors(int docID) => null;

    public override void Document(int docID, StoredFieldVisitor visitor)
    {
        // Fields in FieldInfos order, as a stored fields reader would visit them.
        var document = _documents[docID];
        if (!Visit(visitor, IndexFields.Id, document.Id))
        {
            return;
        }

        if (_storeText && (!Visit(visitor, IndexFields.Title, document.Title) || !Visit(visitor, IndexFields.Text, document.Text)))
        {
            return;
        }

        if (document.Metadata is { } metadata && !Visit(visitor, IndexFields.Metadata, metadata.Json))
        {
            return;
        }

        if (document.Parent is not null && !Visit(visitor, IndexFields.Span, $"{document.Chunk.Start} {document.Chunk.End}"))
        {
            return;
        }

        if (document.Sequence is { } sequence)
        {
            Visit(visitor, IndexFields.Sequence, sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
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
        /// <summary>In ordinal order: Lucene merges the fields of several readers as sorted streams.</summary>
        private readonly string[] _names = new[] { IndexFields.Id, IndexFields.Impacts }.Concat(reader._metadata.Keys).Order(StringComparer.Ordinal).ToArray();

        public override IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_names).GetEnumerator();

        public override Terms? GetTerms(string field) => field switch
        {
            IndexFields.Id => new InMemoryTerms(reader._ids),
            IndexFields.Impacts => new InMemoryTerms(reader._impacts),
            _ => reader._metadata.TryGetValue(field, out var postings) ? new InMemoryTerms(postings) : null,
        };

        public override int Count => _names.Length;
    }
}
