using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using SparseSearch.Core;

namespace SparseSearch.Index;

/// <summary>Maps Lucene's internal doc numbers back to external ids through the id doc values.</summary>
internal static class StoredDocuments
{
    public static IReadOnlyList<Hit> ToHits(IndexReader reader, TopDocs top) =>
        top.ScoreDocs.Select(d => new Hit(IdOf(reader, d.Doc), d.Score)).ToArray();

    public static string IdOf(IndexReader reader, int doc)
    {
        var leaf = reader.Leaves[ReaderUtil.SubIndex(doc, reader.Leaves)];
        var ids = leaf.AtomicReader.GetBinaryDocValues(IndexFields.Id)
            ?? throw new IndexMismatchException("index has no id doc values; rebuild it with this version");
        var bytes = new BytesRef();
        ids.Get(doc - leaf.DocBase, bytes);
        return bytes.Utf8ToString();
    }
}
