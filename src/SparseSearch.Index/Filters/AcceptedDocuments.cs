using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace SparseSearch.Index.Filters;

/// <summary>
/// Per segment, the live documents a filter accepts, as bits the top-k algorithms hand to the postings (so a rejected
/// document is never scored) and iterate when the filter is selective. Computed once per query.
/// </summary>
public sealed class AcceptedDocuments
{
    private readonly FixedBitSet[] _leaves;
    private readonly int[] _counts;

    private AcceptedDocuments(FixedBitSet[] leaves)
    {
        _leaves = leaves;
        _counts = leaves.Select(l => l.Cardinality).ToArray();
    }

    public static AcceptedDocuments Compute(IndexReader reader, SearchFilter filter)
    {
        // One weight for every segment (QueryWrapperFilter would rewrite the query once per segment).
        var weight = new IndexSearcher(reader).CreateNormalizedWeight(FilterQuery.ToLucene(filter));
        var leaves = reader.Leaves.Select(leaf =>
        {
            var bits = new FixedBitSet(leaf.AtomicReader.MaxDoc);
            var scorer = weight.GetScorer(leaf, leaf.AtomicReader.LiveDocs);
            if (scorer is not null)
            {
                bits.Or(scorer);
            }

            return bits;
        }).ToArray();
        return new AcceptedDocuments(leaves);
    }

    /// <summary>The accepted documents of segment <paramref name="leafOrd"/> (deleted ones never are).</summary>
    public FixedBitSet Of(int leafOrd) => _leaves[leafOrd];

    public int CountIn(int leafOrd) => _counts[leafOrd];

    public long Count => _counts.Sum(c => (long)c);
}
