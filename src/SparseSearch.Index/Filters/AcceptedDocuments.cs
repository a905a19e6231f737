using Lucene.Net.Index;
using Lucene.Net.Util;

namespace SparseSearch.Index.Filters;

/// <summary>
/// Per segment, the live documents a filter accepts (<see cref="FilterBits"/>): what the top-k algorithms check before
/// a document may compete, and what masks the pruned search's bounds. Computed once per query.
/// </summary>
public sealed class AcceptedDocuments
{
    private readonly FixedBitSet[] _leaves;

    private AcceptedDocuments(FixedBitSet[] leaves) => _leaves = leaves;

    public static AcceptedDocuments Compute(IndexReader reader, SearchFilter filter) =>
        new(reader.Leaves.Select(leaf => FilterBits.Evaluate(filter, leaf)).ToArray());

    /// <summary>The accepted documents of segment <paramref name="leafOrd"/> (deleted ones never are).</summary>
    public FixedBitSet Of(int leafOrd) => _leaves[leafOrd];
}
