using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace SparseSearch.Index.Filters;

/// <summary>
/// A <see cref="SearchFilter"/> as a Lucene filter, for the searches that run through Lucene's own scorers (the
/// <c>lucene-bm25</c> text index, the impact index's <c>LuceneBoolean</c> reference): the same per-segment bits as the
/// impact top-k algorithms use (<see cref="FilterBits"/>), so one evaluator serves every index.
/// </summary>
public sealed class MetadataFilter(SearchFilter filter) : Filter
{
    public override DocIdSet GetDocIdSet(AtomicReaderContext context, IBits? acceptDocs) =>
        BitsFilteredDocIdSet.Wrap(FilterBits.Evaluate(filter, context), acceptDocs);
}
