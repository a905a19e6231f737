using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using SparseSearch.Core;
using SparseSearch.Encoding;
using SparseSearch.Index.Impact.Codec;
using SparseSearch.Index.Impact.TopK;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace SparseSearch.Index.Impact;

/// <summary>A document's stored fields; <see cref="Metadata"/> is the metadata object as compact JSON, or null.</summary>
public sealed record StoredDocument(string Id, string Title, string Text, string? Metadata = null)
{
    /// <summary>In a shard of a cluster, the record's position in the corpus the cluster was built from.</summary>
    public long? Sequence { get; init; }
}

/// <summary>One matched term of a hit: query weight × document weight = contribution to the score.</summary>
/// <summary>A hit with its exact fixed-point score sum: Score = (float)(Sum × Unit). Sums of one query plan order exactly where floats tie.</summary>
public sealed class ExactScoreDoc(int doc, long sum, double unit) : ScoreDoc(doc, (float)(sum * unit))
{
    public long Sum { get; } = sum;

    public double Unit { get; } = unit;
}

public sealed record TermContribution(string Term, float QueryWeight, float DocumentWeight, double Contribution);

/// <summary>
/// Searches an impact index by the exact dot product of a float query vector and the dequantized document vectors.
/// The default is block-max MaxScore dynamic pruning (<see cref="BlockMaxScoreSearch"/>); exhaustive scoring and Lucene's own boosted-TermQuery disjunction scored by
/// <see cref="ImpactSimilarity"/> remain available as references. Thread-safe for concurrent searches.
/// </summary>
public sealed class ImpactIndexSearcher : ITermStatistics, IDisposable
{
    private readonly LuceneDirectory? _directory;
    private readonly IndexReader _reader;
    private readonly IndexSearcher _searcher;

    private ImpactIndexSearcher(string path, IndexManifest manifest)
    {
        Manifest = manifest;
        _directory = FSDirectory.Open(path);
        _reader = DirectoryReader.Open(_directory);
        _searcher = new IndexSearcher(_reader) { Similarity = new ImpactSimilarity() };
    }

    private ImpactIndexSearcher(IndexReader reader, IndexManifest manifest)
    {
        Manifest = manifest;
        _reader = reader;
        _searcher = new IndexSearcher(_reader) { Similarity = new ImpactSimilarity() };
    }

    /// <summary>
    /// A searcher over a reader someone else owns (the service's near-real-time readers); disposing it leaves the
    /// reader open. Bounds come from the reader's segments, so any reader of the index will do.
    /// </summary>
    public static ImpactIndexSearcher Over(IndexReader reader, IndexManifest manifest) => new(reader, manifest);

    public IndexReader Reader => _reader;

    /// <summary>The largest impact of <paramref name="term"/> in any segment of this reader (0 when no segment has it).</summary>
    public int MaxImpact(string term)
    {
        var bytes = new Lucene.Net.Util.BytesRef(term);
        var max = 0;
        foreach (var leaf in _reader.Leaves)
        {
            max = Math.Max(max, SegmentBounds.MaxImpact(leaf.AtomicReader, bytes));
        }

        return max;
    }

    public IndexManifest Manifest { get; }

    /// <summary>
    /// Exact pruned searches of at least this many terms start from a k-th score found through the approximate
    /// structures, where segments carry them (results unchanged: <see cref="TopK.TopKHeap.Seed"/>).
    /// </summary>
    public const int SeedMinimumTerms = 16;

    /// <summary>
    /// Exact pruned search under a filter that accepts at most this fraction of a segment carrying a forward index (built
    /// with the approximate structures) scores the accepted documents one by one from it instead of reading postings
    /// (<see cref="Approximate.FilteredForwardSearch"/>; results unchanged). 0 turns it off.
    /// </summary>
    public double ForwardFilterFraction { get; set; } = Approximate.FilteredForwardSearch.DefaultMaxAcceptedFraction;

    /// <summary>Segments that carry approximate structures: an approximate search of this reader is exact when 0.</summary>
    public int ApproximateSegmentCount => _reader.Leaves.Count(l => l.AtomicReader.GetTerms(IndexFields.Impacts) is BoundedTerms { Approximate.Forward: not null });

    /// <summary>Bytes of the approximate structures in memory, over all segments.</summary>
    public long ApproximateBytes => _reader.Leaves.Sum(l => l.AtomicReader.GetTerms(IndexFields.Impacts) is BoundedTerms { Approximate: { } a } ? a.Bytes : 0);

    /// <summary>Lucene's maxDoc (deleted documents included until merged away), the N of BM25's idf as Lucene computes it.</summary>
    public long DocumentCount => _reader.MaxDoc;

    public long LiveDocumentCount => _reader.NumDocs;

    public int SegmentCount => _reader.Leaves.Count;

    public static ImpactIndexSearcher Open(string path, IndexManifest manifest) => new(path, manifest);

    public long DocFreq(string term) => _reader.DocFreq(new Term(IndexFields.Impacts, term));

    /// <summary>The Lucene query whose score is the dot product with <paramref name="query"/>.</summary>
    public Query ToLuceneQuery(SparseVector query)
    {
        var boolean = new BooleanQuery(disableCoord: true);
        foreach (var (term, weight) in query.Weights)
        {
            boolean.Add(new TermQuery(new Term(IndexFields.Impacts, term)) { Boost = weight / Manifest.QuantizationScale }, Occur.SHOULD);
        }

        return boolean;
    }

    public IReadOnlyList<Hit> Search(SparseVector query, int k, TopKAlgorithm algorithm = TopKAlgorithm.BlockMaxScore,
        CancellationToken cancellation = default, Filters.SearchFilter? filter = null) =>
        StoredDocuments.ToHits(_reader, SearchTopDocs(query, k, algorithm, cancellation, filter));

    /// <summary>
    /// The top k as Lucene doc numbers and scores, best first, ties to the lower doc number; with a filter, the top k
    /// of the documents it accepts (applied inside the search, so always k hits when k documents match).
    /// </summary>
    /// <param name="approximate">
    /// Search the segments that carry approximate structures approximately (<see cref="Approximate.ApproximateSearch"/>),
    /// the others exactly; null: exact. Only with the pruned algorithm and positive weights; other queries stay exact.
    /// </param>
    /// <param name="maxImpacts">
    /// Each term's largest impact over a whole cluster (a shard's search): the scores' fixed-point step then is the one a
    /// single index of the cluster's documents would use, so shards' exact sums compare with each other (null: this index's own).
    /// </param>
    public TopDocs SearchTopDocs(SparseVector query, int k, TopKAlgorithm algorithm = TopKAlgorithm.BlockMaxScore, CancellationToken cancellation = default,
        Filters.SearchFilter? filter = null, Approximate.ApproximateSearchSettings? approximate = null, IReadOnlyDictionary<string, int>? maxImpacts = null)
    {
        if (query.Count == 0 || k <= 0)
        {
            return new TopDocs(0, [], float.NaN);
        }

        if (algorithm == TopKAlgorithm.LuceneBoolean)
        {
            return filter is null
                ? _searcher.Search(ToLuceneQuery(query), k)
                : _searcher.Search(ToLuceneQuery(query), new Filters.MetadataFilter(filter), k);
        }

        var plan = QueryPlan.Create(query, maxImpacts is null ? MaxImpact : term => Math.Max(MaxImpact(term), maxImpacts.GetValueOrDefault(term)),
            Manifest.QuantizationScale);
        var heap = new TopKHeap(k);
        var accepted = filter is null ? null : Accepted(filter);
        if (approximate is not null && algorithm == TopKAlgorithm.BlockMaxScore && plan.AllPositive)
        {
            Approximate.ApproximateSearch.Search(_reader, plan, heap, accepted, approximate, cancellation);
        }
        else if (algorithm == TopKAlgorithm.BlockMaxScore && plan.AllPositive)
        {
            // Long (expanded) queries, and any filtered one: on the 1M bench seeding took expanded queries from 14 to
            // 11 ms but made unfiltered 10-term ones slower (1.1-1.4 to 1.5 ms), their own threshold rising fast enough
            // unaided; under a 1% filter it took 10-term ones from 2.1 to 1.3 ms (the k-th score rises slowly there).
            if (plan.Count >= SeedMinimumTerms || accepted is not null)
            {
                Approximate.ApproximateSearch.Seed(_reader, plan, heap, accepted);
            }

            BlockMaxScoreSearch.Search(_reader, plan, heap, accepted, cancellation, ForwardFilterFraction);
        }
        else
        {
            // Non-positive weights break MaxScore's bounds; such queries are scored exhaustively.
            ExhaustiveSearch.Search(_reader, plan, heap, accepted, cancellation);
        }

        var top = heap.ToSortedArray();
        var scoreDocs = top.Select(e => (ScoreDoc)new ExactScoreDoc(e.Doc, e.Score, plan.Unit)).ToArray();
        return new TopDocs(scoreDocs.Length, scoreDocs, scoreDocs.Length > 0 ? scoreDocs[0].Score : float.NaN);
    }

    /// <summary>
    /// How many live documents contain at least one query term: counted exactly when the terms' postings number at most
    /// <paramref name="postingsBudget"/> (a pass over them costs about what an exhaustive search does), else a lower
    /// bound that costs nothing — the most frequent term's document frequency less every deleted document, or the
    /// hits already found if more.
    /// </summary>
    /// <remarks>Under a filter, only accepted documents count, and the free lower bound is the hits found.</remarks>
    public (long Value, bool Exact) CountMatches(SparseVector query, long postingsBudget, long found = 0, Filters.SearchFilter? filter = null)
    {
        var terms = query.Weights.Keys.Select(t => new Term(IndexFields.Impacts, t)).ToArray();
        var frequencies = terms.Select(t => (long)_reader.DocFreq(t)).ToArray();
        if (frequencies.Sum() > postingsBudget)
        {
            return (filter is null ? Math.Max(found, frequencies.Max() - _reader.NumDeletedDocs) : found, false);
        }

        var accepted = filter is null ? null : Accepted(filter);
        long count = 0;
        foreach (var leaf in _reader.Leaves)
        {
            var matched = new Lucene.Net.Util.FixedBitSet(leaf.AtomicReader.MaxDoc);
            foreach (var term in terms)
            {
                var docs = leaf.AtomicReader.GetTermDocsEnum(term);
                int doc;
                while (docs is not null && (doc = docs.NextDoc()) != DocIdSetIterator.NO_MORE_DOCS)
                {
                    matched.Set(doc);
                }
            }

            if (accepted is not null)
            {
                matched.And(accepted.Of(leaf.Ord));
            }

            count += matched.Cardinality;
        }

        return (count, true);
    }

    /// <summary>
    /// A page of live documents in index order: <paramref name="size"/> of them after skipping <paramref name="from"/>.
    /// Skipping walks the live-documents bits, so deep pages cost their offset.
    /// </summary>
    public IReadOnlyList<StoredDocument> ListDocuments(long from, int size)
    {
        var page = new List<StoredDocument>(size);
        var skipped = 0L;
        foreach (var leaf in _reader.Leaves)
        {
            // A chunked index lists its documents by their first chunks (which hold the title and text).
            var live = Manifest.Chunking is null ? leaf.AtomicReader.LiveDocs : Chunking.ChunkedDocuments.FirstChunks(leaf.AtomicReader);
            var alive = live is Lucene.Net.Util.FixedBitSet first ? first.Cardinality : leaf.AtomicReader.NumDocs;
            if (skipped + alive <= from)
            {
                skipped += alive;
                continue;
            }

            for (var doc = 0; doc < leaf.AtomicReader.MaxDoc && page.Count < size; doc++)
            {
                if (live is not null && !live.Get(doc))
                {
                    continue;
                }

                if (skipped++ >= from)
                {
                    page.Add(Document(leaf.DocBase + doc));
                }
            }

            if (page.Count == size)
            {
                break;
            }
        }

        return page;
    }

    /// <summary>The stored fields of a hit: external id, title and text (empty when the index was built without text).</summary>
    public StoredDocument Document(int doc)
    {
        var fields = _reader.Document(doc);
        return new StoredDocument(fields.Get(IndexFields.Id) ?? "", fields.Get(IndexFields.Title) ?? "", fields.Get(IndexFields.Text) ?? "",
            fields.Get(IndexFields.Metadata))
        {
            Sequence = fields.Get(IndexFields.Sequence) is { } sequence ? long.Parse(sequence, System.Globalization.CultureInfo.InvariantCulture) : null,
        };
    }

    /// <summary>The external id of a Lucene doc number, from the id doc values (no stored-fields read).</summary>
    public string IdOf(int doc) => StoredDocuments.IdOf(_reader, doc);

    /// <summary>
    /// A filter's accepted documents, evaluated once per filter and reader: one request asks for them several times
    /// (a chunked search fetching deeper, the total count after the top k).
    /// </summary>
    private Filters.AcceptedDocuments Accepted(Filters.SearchFilter filter) =>
        _accepted.GetValue(filter, f => Filters.AcceptedDocuments.Compute(_reader, f));

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Filters.SearchFilter, Filters.AcceptedDocuments> _accepted = new();

    /// <summary>The stored "start end" character range of a chunk in its document's text, or null for a whole document.</summary>
    public (int Start, int End)? SpanOf(int doc)
    {
        var span = _reader.Document(doc).Get(IndexFields.Span);
        var parts = span?.Split(' ');
        return parts is [var start, var end] ? (int.Parse(start, System.Globalization.CultureInfo.InvariantCulture), int.Parse(end, System.Globalization.CultureInfo.InvariantCulture)) : null;
    }

    /// <summary>The Lucene doc number of a live document with this external id, or -1.</summary>
    public int Find(string id)
    {
        var term = new Term(IndexFields.Id, id);
        foreach (var leaf in _reader.Leaves)
        {
            // The enum already skips deleted documents; ids are unique among live ones.
            var doc = leaf.AtomicReader.GetTermDocsEnum(term)?.NextDoc() ?? DocIdSetIterator.NO_MORE_DOCS;
            if (doc != DocIdSetIterator.NO_MORE_DOCS)
            {
                return leaf.DocBase + doc;
            }
        }

        return -1;
    }

    /// <summary>
    /// Why documents scored what they did: for each of <paramref name="docs"/>, every query term it contains, with the
    /// query weight, the document's (dequantized) weight and their product, largest first. The contributions add up to
    /// the document's score. One postings pass per term and segment serves all the documents.
    /// </summary>
    public IReadOnlyList<TermContribution>[] Explain(SparseVector query, IReadOnlyList<int> docs)
    {
        var contributions = docs.Select(_ => new List<TermContribution>()).ToArray();
        var order = Enumerable.Range(0, docs.Count).OrderBy(i => docs[i]).ToArray();
        foreach (var leaf in _reader.Leaves)
        {
            var inLeaf = order.Where(i => docs[i] >= leaf.DocBase && docs[i] < leaf.DocBase + leaf.AtomicReader.MaxDoc).ToArray();
            var termsEnum = inLeaf.Length == 0 ? null : leaf.AtomicReader.GetTerms(IndexFields.Impacts)?.GetEnumerator();
            if (termsEnum is null)
            {
                continue;
            }

            foreach (var (term, weight) in query.Weights)
            {
                if (!termsEnum.SeekExact(new Lucene.Net.Util.BytesRef(term)))
                {
                    continue;
                }

                var postings = termsEnum.Docs(null, null, DocsFlags.FREQS);
                var current = -1;
                foreach (var i in inLeaf)
                {
                    var local = docs[i] - leaf.DocBase;
                    if (current < local)
                    {
                        current = postings.Advance(local);
                    }

                    if (current == local)
                    {
                        contributions[i].Add(new TermContribution(term, weight, postings.Freq / Manifest.QuantizationScale,
                            weight * (double)postings.Freq / Manifest.QuantizationScale));
                    }
                }
            }
        }

        return contributions.Select(c => (IReadOnlyList<TermContribution>)c.OrderByDescending(t => t.Contribution).ThenBy(t => t.Term, StringComparer.Ordinal).ToArray()).ToArray();
    }

    /// <summary>The document's whole stored vector (dequantized), for inspection.</summary>
    public IReadOnlyDictionary<string, float> Vector(int doc)
    {
        var leaf = _reader.Leaves[ReaderUtil.SubIndex(doc, _reader.Leaves)];
        var local = doc - leaf.DocBase;
        var vector = new SortedDictionary<string, float>(StringComparer.Ordinal);
        var termsEnum = leaf.AtomicReader.GetTerms(IndexFields.Impacts)?.GetEnumerator();
        DocsEnum? docs = null;
        while (termsEnum is not null && termsEnum.MoveNext())
        {
            docs = termsEnum.Docs(null, docs, DocsFlags.FREQS);
            if (docs.Advance(local) == local)
            {
                vector[termsEnum.Term.Utf8ToString()] = docs.Freq / Manifest.QuantizationScale;
            }
        }

        return vector;
    }

    public void Dispose()
    {
        if (_directory is null)
        {
            return;
        }

        _reader.Dispose();
        _directory.Dispose();
    }
}
