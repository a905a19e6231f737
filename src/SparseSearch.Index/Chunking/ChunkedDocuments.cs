using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace SparseSearch.Index.Chunking;

/// <summary>Document-level questions about a chunked index, answered from its first chunks (chunk ordinal 0).</summary>
public static class ChunkedDocuments
{
    /// <summary>Live documents: live first chunks.</summary>
    public static long Count(IndexReader reader)
    {
        var term = FirstChunkTerm();
        long count = 0;
        foreach (var leaf in reader.Leaves)
        {
            var docs = leaf.AtomicReader.GetTermDocsEnum(term);
            while (docs is not null && docs.NextDoc() != DocIdSetIterator.NO_MORE_DOCS)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Whether a Lucene document of <paramref name="leaf"/> is a first chunk (bits for paging through documents).</summary>
    public static FixedBitSet FirstChunks(AtomicReader leaf)
    {
        var bits = new FixedBitSet(leaf.MaxDoc);
        var docs = leaf.GetTermDocsEnum(FirstChunkTerm());
        int doc;
        while (docs is not null && (doc = docs.NextDoc()) != DocIdSetIterator.NO_MORE_DOCS)
        {
            bits.Set(doc);
        }

        return bits;
    }

    /// <summary>The full-precision trie term of ordinal 0 in the chunk ordinal field.</summary>
    private static Term FirstChunkTerm()
    {
        var (_, text) = Filters.MetadataTerms.Of(new Core.MetadataValue(IndexFields.ChunkOrdinal, null, 0)).First();
        return new Term(IndexFields.ChunkOrdinal, text);
    }
}
