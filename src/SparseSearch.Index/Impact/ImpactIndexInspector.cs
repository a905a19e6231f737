using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace SparseSearch.Index.Impact;

/// <summary>Reads an impact index back into per-document term impacts: for checks and debugging, not for serving.</summary>
public static class ImpactIndexInspector
{
    public static Dictionary<string, SortedDictionary<string, int>> ReadVectors(string path)
    {
        using var directory = FSDirectory.Open(path);
        using var reader = DirectoryReader.Open(directory);
        var vectors = new Dictionary<string, SortedDictionary<string, int>>(StringComparer.Ordinal);
        foreach (var leaf in reader.Leaves)
        {
            var atomic = leaf.AtomicReader;
            var ids = atomic.GetBinaryDocValues(IndexFields.Id);
            var live = atomic.LiveDocs;
            var external = new string[atomic.MaxDoc];
            var bytes = new BytesRef();
            for (var doc = 0; doc < atomic.MaxDoc; doc++)
            {
                if (live is null || live.Get(doc))
                {
                    ids.Get(doc, bytes);
                    external[doc] = bytes.Utf8ToString();
                    vectors.TryAdd(external[doc], new SortedDictionary<string, int>(StringComparer.Ordinal));
                }
            }

            var terms = atomic.GetTerms(IndexFields.Impacts);
            if (terms is null)
            {
                continue;
            }

            var termsEnum = terms.GetEnumerator();
            while (termsEnum.MoveNext())
            {
                var term = termsEnum.Term.Utf8ToString();
                var docs = termsEnum.Docs(live, null, DocsFlags.FREQS);
                while (docs.NextDoc() != DocIdSetIterator.NO_MORE_DOCS)
                {
                    vectors[external[docs.DocID]][term] = docs.Freq;
                }
            }
        }

        return vectors;
    }
}
