using System.Buffers;
using System.IO.Hashing;
using Lucene.Net.Index;
using Utf8 = System.Text.Encoding;

namespace SparseSearch.Index.Impact;

/// <summary>
/// 64-bit hashes of every id already in the index or added through this writer, so a batch queues deletes only for ids
/// that may be there. Lucene applies each delete term to every segment: a fresh million-document bulk build (50
/// segments before its final merge) spent 4 s of 55 on deletes that could match nothing. A hash collision only costs a
/// needless delete, never a missed one. About 20 bytes per document; kept by bulk builds only.
/// </summary>
internal sealed class KnownIds
{
    private readonly HashSet<ulong> _hashes = [];

    /// <summary>
    /// The ids of every document in the index, and in a chunked index the ids of the documents chunks belong to
    /// (deleted ones too: harmless, a needless delete at worst).
    /// </summary>
    public static KnownIds Scan(IndexReader reader)
    {
        var known = new KnownIds();
        foreach (var leaf in reader.Leaves)
        {
            foreach (var field in new[] { IndexFields.Id, IndexFields.Parent })
            {
                var terms = leaf.AtomicReader.GetTerms(field)?.GetEnumerator();
                while (terms is not null && terms.MoveNext())
                {
                    var id = terms.Term;
                    known._hashes.Add(XxHash3.HashToUInt64(id.Bytes.AsSpan(id.Offset, id.Length)));
                }
            }
        }

        return known;
    }

    public bool MightContain(string id) => _hashes.Contains(Hash(id));

    public void Add(string id) => _hashes.Add(Hash(id));

    /// <summary>Of the UTF-8 bytes, as the index stores the id term.</summary>
    private static ulong Hash(string id)
    {
        var length = Utf8.UTF8.GetMaxByteCount(id.Length);
        var rented = length > 512 ? ArrayPool<byte>.Shared.Rent(length) : null;
        try
        {
            Span<byte> buffer = rented ?? stackalloc byte[512];
            var written = Utf8.UTF8.GetBytes(id, buffer);
            return XxHash3.HashToUInt64(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
