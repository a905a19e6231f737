using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using SparseSearch.Core;

namespace SparseSearch.Index;

/// <summary>Maps Lucene's internal doc numbers back to external ids through the id doc values.</summary>
internal static class StoredDocuments
{
    public static IReadOnlyList<Hit> ToHits(IndexReader reader, TopDocs top)
    {
        var leaves = reader.Leaves;
        var hits = new Hit[top.ScoreDocs.Length];
        var bytes = new BytesRef();
        for (var i = 0; i < hits.Length; i++)
        {
            var scoreDoc = top.ScoreDocs[i];
            var leaf = leaves[ReaderUtil.SubIndex(scoreDoc.Doc, leaves)];
            var ids = leaf.AtomicReader.GetBinaryDocValues(IndexFields.Id)
                ?? throw new IndexMismatchException("index has no id doc values; rebuild it with this version");
            ids.Get(scoreDoc.Doc - leaf.DocBase, bytes);
            hits[i] = new Hit(bytes.Utf8ToString(), scoreDoc.Score);
        }

        return hits;
    }
}
