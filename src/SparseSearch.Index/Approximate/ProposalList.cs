namespace SparseSearch.Index.Approximate;

/// <summary>A proposed document (numbered in its reader, or its segment where no reader is involved) and its partial score.</summary>
internal readonly record struct Proposal(int Doc, long Partial);

/// <summary>
/// One query's proposals, segment after segment: one growing buffer per thread, so a
/// query allocates nothing for them (a 20,000-proposal array would land on the large-object heap every query).
/// </summary>
internal sealed class ProposalList
{
    [ThreadStatic]
    private static ProposalList? _threadList;

    private Proposal[] _items = new Proposal[1024];

    public int Count { get; private set; }

    public ReadOnlySpan<Proposal> All => _items.AsSpan(0, Count);

    /// <summary>This thread's list, emptied: it is the caller's until the thread asks again.</summary>
    public static ProposalList ForThisThread()
    {
        var list = _threadList ??= new ProposalList();
        list.Count = 0;
        return list;
    }

    /// <summary>Room for <paramref name="room"/> more after the last, to write into before <see cref="Commit"/>.</summary>
    public Span<Proposal> Reserve(int room)
    {
        if (Count + room > _items.Length)
        {
            Array.Resize(ref _items, Math.Max(Count + room, 2 * _items.Length));
        }

        return _items.AsSpan(Count, room);
    }

    /// <summary>Keeps the first <paramref name="added"/> written into the last <see cref="Reserve"/>.</summary>
    public void Commit(int added) => Count += added;

    /// <summary>Forgets every proposal from the <paramref name="count"/>-th on.</summary>
    public void Truncate(int count) => Count = count;
}
