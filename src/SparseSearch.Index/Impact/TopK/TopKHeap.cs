namespace SparseSearch.Index.Impact.TopK;

/// <summary>
/// The best k (score, doc) pairs seen so far, scores as exact fixed-point sums. Ties go to the lower doc number, as in
/// Lucene, so algorithms that visit documents in any order yield the same list.
/// </summary>
internal sealed class TopKHeap
{
    private readonly (long Score, int Doc)[] _heap;
    private int _count;

    public TopKHeap(int k) => _heap = new (long, int)[k];

    public bool IsFull => _count == _heap.Length;

    /// <summary>The k it keeps.</summary>
    public int Capacity => _heap.Length;

    /// <summary>
    /// A document must score above this to enter, or equal it with a lower doc number; long.MinValue until full.
    /// Pruning visits documents in increasing order, so for it "≤ threshold" means "cannot enter".
    /// </summary>
    /// <remarks>
    /// Once seeded (<see cref="Seed"/>), one less: a seeded document may have a higher doc number than a later one of
    /// equal score, which must still be able to enter, so pruning may only drop documents strictly below.
    /// </remarks>
    public long Threshold => !IsFull ? long.MinValue : _seeded ? _heap[0].Score - 1 : _heap[0].Score;

    private bool _seeded;

    /// <summary>
    /// Offers a document scored exactly before the search proper (a threshold seed): the search may meet it again,
    /// and then it is not taken twice.
    /// </summary>
    public void Seed(long score, int doc)
    {
        _seeded = true;
        Offer(score, doc);
    }

    public void Offer(long score, int doc)
    {
        if (IsFull && !Better((score, doc), _heap[0]))
        {
            return;
        }

        if (_seeded && Contains(doc))
        {
            return;
        }

        if (!IsFull)
        {
            _heap[_count] = (score, doc);
            SiftUp(_count++);
            return;
        }

        _heap[0] = (score, doc);
        SiftDown(0);
    }

    private bool Contains(int doc)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_heap[i].Doc == doc)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Best first.</summary>
    public (long Score, int Doc)[] ToSortedArray()
    {
        var result = _heap[.._count];
        Array.Sort(result, (x, y) => Better(x, y) ? -1 : Better(y, x) ? 1 : 0);
        return result;
    }

    private static bool Better((long Score, int Doc) x, (long Score, int Doc) y) =>
        x.Score > y.Score || (x.Score == y.Score && x.Doc < y.Doc);

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Better(_heap[parent], _heap[i]))
            {
                break;
            }

            (_heap[parent], _heap[i]) = (_heap[i], _heap[parent]);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            var worst = i;
            var left = (2 * i) + 1;
            var right = left + 1;
            if (left < _count && Better(_heap[worst], _heap[left]))
            {
                worst = left;
            }

            if (right < _count && Better(_heap[worst], _heap[right]))
            {
                worst = right;
            }

            if (worst == i)
            {
                return;
            }

            (_heap[worst], _heap[i]) = (_heap[i], _heap[worst]);
            i = worst;
        }
    }
}
