using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace SparseSearch.Index.Impact.TopK;

/// <summary>
/// Opens one segment's impact postings for a plan's terms (null where the segment lacks the term), seeing only the
/// accepted documents: a filter's (<see cref="Filters.AcceptedDocuments"/>), or else the live ones.
/// </summary>
internal static class LeafPostings
{
    public const int NoMoreDocs = DocIdSetIterator.NO_MORE_DOCS;

    public static DocsEnum?[] Open(AtomicReaderContext leaf, QueryPlan plan, IBits? accepted = null)
    {
        var postings = new DocsEnum?[plan.Count];
        var terms = leaf.AtomicReader.GetTerms(IndexFields.Impacts);
        if (terms is null)
        {
            return postings;
        }

        var termsEnum = terms.GetEnumerator();
        for (var i = 0; i < plan.Count; i++)
        {
            if (termsEnum.SeekExact(new BytesRef(plan.Terms[i])))
            {
                postings[i] = termsEnum.Docs(accepted ?? leaf.AtomicReader.LiveDocs, null, DocsFlags.FREQS);
            }
        }

        return postings;
    }
}
