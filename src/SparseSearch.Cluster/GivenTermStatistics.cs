using SparseSearch.Encoding;

namespace SparseSearch.Cluster;

/// <summary>Term statistics handed over whole (a cluster's, summed over its shards); a term not given has no documents.</summary>
internal sealed class GivenTermStatistics(long documentCount, IReadOnlyDictionary<string, long> docFreqs) : ITermStatistics
{
    public long DocumentCount => documentCount;

    public long DocFreq(string term) => docFreqs.GetValueOrDefault(term);
}
