namespace SparseSearch.Index.Impact.TopK;

/// <summary>How an impact index computes a query's top k; all three return the same documents.</summary>
public enum TopKAlgorithm
{
    /// <summary>Block-max MaxScore dynamic pruning (<see cref="BlockMaxScoreSearch"/>): the default.</summary>
    BlockMaxScore,

    /// <summary>Every posting of every query term scored, term at a time: the reference pruned results must equal.</summary>
    Exhaustive,

    /// <summary>Lucene's own BooleanQuery of boosted TermQuerys with <see cref="ImpactSimilarity"/> (float arithmetic).</summary>
    LuceneBoolean,
}
