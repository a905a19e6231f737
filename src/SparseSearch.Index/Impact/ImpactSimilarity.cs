using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;

namespace SparseSearch.Index.Impact;

/// <summary>
/// Scores a term match as <c>boost × freq</c>: with the document's impact stored as the frequency and the query term's
/// weight as the boost, a disjunction of term queries sums to the exact dot product. No norms, idf, coord or query norm
/// (the base class's coord and query norm are 1).
/// </summary>
public sealed class ImpactSimilarity : Similarity
{
    public override long ComputeNorm(FieldInvertState state) => 1;

    public override SimWeight ComputeWeight(float queryBoost, CollectionStatistics collectionStats, params TermStatistics[] termStats) =>
        new BoostWeight(queryBoost);

    public override SimScorer GetSimScorer(SimWeight weight, AtomicReaderContext context) => new BoostTimesFreqScorer(((BoostWeight)weight).Factor);

    private sealed class BoostWeight(float queryBoost) : SimWeight
    {
        private float _topLevelBoost = 1f;

        public float Factor => queryBoost * _topLevelBoost;

        public override float GetValueForNormalization() => queryBoost * queryBoost;

        public override void Normalize(float queryNorm, float topLevelBoost) => _topLevelBoost = topLevelBoost;
    }

    private sealed class BoostTimesFreqScorer(float factor) : SimScorer
    {
        public override float Score(int doc, float freq) => factor * freq;

        public override float ComputeSlopFactor(int distance) => 1f;

        public override float ComputePayloadFactor(int doc, int start, int end, BytesRef payload) => 1f;
    }
}
