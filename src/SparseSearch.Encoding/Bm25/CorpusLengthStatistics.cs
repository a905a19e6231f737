using SparseSearch.Core;
using SparseSearch.Encoding.Analysis;

namespace SparseSearch.Encoding.Bm25;

/// <summary>
/// Document count and total length of a corpus under one analysis: what BM25's length normalisation needs before the
/// first document can be encoded, gathered in a first streaming pass.
/// </summary>
public sealed record CorpusLengthStatistics(long DocumentCount, long TotalTerms)
{
    /// <summary>Average length as Lucene computes it (sumTotalTermFreq / maxDoc); 1 for an empty corpus.</summary>
    public double AverageDocumentLength => TotalTerms <= 0 ? 1d : (double)TotalTerms / DocumentCount;

    public static CorpusLengthStatistics Measure(IEnumerable<CorpusDocument> corpus, ITermAnalyzer analyzer, CancellationToken cancellation = default)
    {
        long documents = 0;
        long terms = 0;
        var options = new ParallelOptions { CancellationToken = cancellation };
        foreach (var chunk in corpus.Chunk(1024))
        {
            var lengths = new int[chunk.Length];
            Parallel.For(0, chunk.Length, options, i => lengths[i] = analyzer.Terms(chunk[i].FlatText).Count);
            documents += chunk.Length;
            foreach (var length in lengths)
            {
                terms += length;
            }
        }

        return new CorpusLengthStatistics(documents, terms);
    }
}
