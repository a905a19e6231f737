using Lucene.Net.Analysis;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using SparseSearch.Core;

namespace SparseSearch.Index.Text;

/// <summary>
/// The reference index: title and text as one analysed field, scored by Lucene's own BM25Similarity (lossy one-byte
/// length norms included), as Anserini's "flat" regressions index a collection. Thread-safe for concurrent adds.
/// </summary>
public sealed class LuceneTextIndexWriter : IDisposable
{
    /// <summary>Numbers indexed with the impact indexes' precision step, so one range query serves both.</summary>
    private static readonly FieldType NumericType = CreateNumericType();

    private readonly IndexWriter _writer;
    private readonly bool _storeText;

    public LuceneTextIndexWriter(string path, Analyzer analyzer, float k1, float b, bool storeText = true)
    {
        _storeText = storeText;
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer)
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            Similarity = new BM25Similarity(k1, b),
            RAMBufferSizeMB = 128,
            // Repeatable builds: documents keep corpus order (log merges join adjacent segments only, one at a time),
            // so ties at the cut-off rank are broken the same way by every build of the same corpus.
            MergePolicy = new LogByteSizeMergePolicy(),
            MergeScheduler = new SerialMergeScheduler(),
        };
        _writer = new IndexWriter(FSDirectory.Open(path), config);
    }

    private static FieldType CreateNumericType()
    {
        var type = new FieldType(DoubleField.TYPE_NOT_STORED) { NumericPrecisionStep = Filters.MetadataTerms.PrecisionStep };
        type.Freeze();
        return type;
    }

    public void Add(CorpusDocument document)
    {
        var fields = new Document
        {
            new StringField(IndexFields.Id, document.Id, Field.Store.YES),
            new BinaryDocValuesField(IndexFields.Id, new BytesRef(document.Id)),
            new TextField(IndexFields.Contents, document.FlatText, Field.Store.NO),
        };
        if (_storeText)
        {
            fields.Add(new StoredField(IndexFields.Title, document.Title));
            fields.Add(new StoredField(IndexFields.Text, document.Text));
        }

        if (document.Metadata is { } metadata)
        {
            fields.Add(new StoredField(IndexFields.Metadata, metadata.Json));
            foreach (var value in metadata.Values)
            {
                fields.Add(value.IsNumber
                    ? new DoubleField(Filters.MetadataTerms.NumericField(value.Field), value.Number, NumericType)
                    : new StringField(Filters.MetadataTerms.KeywordField(value.Field), value.Keyword, Field.Store.NO));
            }
        }

        _writer.UpdateDocument(new Term(IndexFields.Id, document.Id), fields);
    }

    /// <summary>Live documents, pending ones included.</summary>
    public long DocumentCount => _writer.NumDocs;

    /// <summary>Makes everything added so far durable, with optional user data recorded in the Lucene commit.</summary>
    public void Commit(IDictionary<string, string>? userData = null)
    {
        if (userData is not null)
        {
            _writer.SetCommitData(userData);
        }

        _writer.Commit();
    }

    public void ForceMerge() => _writer.ForceMerge(1);

    public void Dispose()
    {
        _writer.Dispose();
        _writer.Directory.Dispose();
    }
}
