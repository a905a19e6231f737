using Utf8 = System.Text.Encoding;
using System.Collections.Concurrent;
using Lucene.Net.Index;
using Lucene.Net.Search;
using SparseSearch.Core;

namespace SparseSearch.Index.Impact;

/// <summary>
/// Per-term maximum impact of an impact index: the upper bounds that let dynamic pruning skip documents. Kept in the
/// side file <see cref="FileName"/>, which the writer rewrites before every Lucene commit. A bound only ever grows
/// (deletes and merges can lower a term's true maximum, never raise it), so the file written before a commit is a
/// valid bound for that commit and for any interrupted work that followed it. Safe to read while a writer raises it:
/// the service's writer raises a batch's bounds before the batch becomes visible to searches.
/// </summary>
public sealed class TermUpperBounds
{
    public const string FileName = "impact-bounds.bin";
    private const string Magic = "SSUB1";

    private readonly ConcurrentDictionary<string, int> _maxImpact;

    private TermUpperBounds(ConcurrentDictionary<string, int> maxImpact) => _maxImpact = maxImpact;

    public static TermUpperBounds Empty() => new(new ConcurrentDictionary<string, int>(StringComparer.Ordinal));

    public int Count => _maxImpact.Count;

    /// <summary>The largest impact the term can have in any document, or 0 for a term never indexed.</summary>
    public int MaxImpact(string term) => _maxImpact.GetValueOrDefault(term);

    public void Observe(string term, int impact) => _maxImpact.AddOrUpdate(term, impact, (_, max) => Math.Max(max, impact));

    public void ObserveAll(IEnumerable<KeyValuePair<string, int>> maxima)
    {
        foreach (var (term, impact) in maxima)
        {
            Observe(term, impact);
        }
    }

    public static TermUpperBounds? Read(string indexPath)
    {
        var path = Path.Combine(indexPath, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var reader = new BinaryReader(File.OpenRead(path), Utf8.UTF8);
            if (reader.ReadString() != Magic)
            {
                throw new IndexMismatchException($"{path} is not a SparseSearch bounds file");
            }

            var count = reader.ReadInt32();
            var bounds = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                bounds[reader.ReadString()] = reader.ReadInt32();
            }

            return new TermUpperBounds(bounds);
        }
        catch (EndOfStreamException)
        {
            throw new IndexMismatchException($"{path} is truncated; delete it and the bounds are recomputed from the postings");
        }
    }

    /// <summary>Writes the file atomically (temporary file, then rename), so a reader never sees half of it.</summary>
    public void Write(string indexPath)
    {
        var path = Path.Combine(indexPath, FileName);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        using (var writer = new BinaryWriter(stream, Utf8.UTF8))
        {
            writer.Write(Magic);
            var snapshot = _maxImpact.ToArray();
            writer.Write(snapshot.Length);
            foreach (var (term, max) in snapshot)
            {
                writer.Write(term);
                writer.Write(max);
            }

            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Exact maxima read from the postings themselves: for indexes written before the side file existed, and for tests.</summary>
    public static TermUpperBounds Scan(IndexReader reader)
    {
        var bounds = Empty();
        foreach (var leaf in reader.Leaves)
        {
            var terms = leaf.AtomicReader.GetTerms(IndexFields.Impacts);
            if (terms is null)
            {
                continue;
            }

            var termsEnum = terms.GetEnumerator();
            DocsEnum? docs = null;
            while (termsEnum.MoveNext())
            {
                var term = termsEnum.Term.Utf8ToString();
                docs = termsEnum.Docs(leaf.AtomicReader.LiveDocs, docs, DocsFlags.FREQS);
                var max = 0;
                while (docs.NextDoc() != DocIdSetIterator.NO_MORE_DOCS)
                {
                    max = Math.Max(max, docs.Freq);
                }

                bounds.Observe(term, max);
            }
        }

        return bounds;
    }
}
