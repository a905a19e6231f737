using SparseSearch.Core;
using SparseSearch.Encoding;
using SparseSearch.Encoding.Bm25;
using SparseSearch.Index.Impact;
using SparseSearch.Index.Impact.TopK;
using SparseSearch.Index.Text;

namespace SparseSearch.Index;

/// <summary>Opens an index with the encoder its manifest names, refusing one built with other settings.</summary>
public static class SearchEngines
{
    /// <param name="expectedEncoder">The encoder the caller asked for, or null to take the manifest's.</param>
    /// <param name="algorithm">How impact indexes compute the top k (pruned by default; text indexes ignore it).</param>
    /// <param name="firstPassages">A chunked index: only each document's first P chunks compete (null: all).</param>
    /// <param name="approximate">Approximate search where the index carries its structures (null: exact).</param>
    public static ISearchEngine Open(string indexPath, string? expectedEncoder, EncoderOptions options, TopKAlgorithm algorithm = TopKAlgorithm.BlockMaxScore,
        int? firstPassages = null, MultiField.FusionSettings? fusion = null, Approximate.ApproximateSearchSettings? approximate = null)
    {
        if (MultiField.FieldsManifest.ExistsIn(indexPath))
        {
            return OpenFields(indexPath, options, algorithm, firstPassages, fusion ?? new MultiField.FusionSettings(), approximate);
        }

        var manifest = IndexManifest.Read(indexPath);
        if (expectedEncoder is not null && expectedEncoder != manifest.Encoder)
        {
            throw new IndexMismatchException($"index {indexPath} was built with encoder '{manifest.Encoder}', not '{expectedEncoder}'; use --encoder {manifest.Encoder} or rebuild with --overwrite");
        }

        var encoder = ResolveEncoder(manifest, indexPath, options);
        return encoder.Kind switch
        {
            IndexKind.Impact => new ImpactSearchEngine(ImpactIndexSearcher.Open(indexPath, manifest), encoder, algorithm, firstPassages, approximate),
            _ => new LuceneTextSearchEngine(new LuceneTextSearcher(indexPath, manifest, encoder.Analyzer)),
        };
    }

    private static MultiField.FusedSearchEngine OpenFields(string indexPath, EncoderOptions options, TopKAlgorithm algorithm, int? firstPassages,
        MultiField.FusionSettings fusion, Approximate.ApproximateSearchSettings? approximate)
    {
        var built = MultiField.FieldsManifest.Read(indexPath).Fields;
        var searched = fusion.Fields ?? built;
        if (searched.FirstOrDefault(f => !built.Contains(f)) is { } unknown)
        {
            throw new InvalidSettingException($"index {indexPath} has no field '{unknown}'; its fields are {string.Join(", ", built)}");
        }

        var engines = new List<(string, ISearchEngine)>();
        try
        {
            foreach (var field in searched)
            {
                engines.Add((field, Open(MultiField.FieldsManifest.FieldPath(indexPath, field), field, options, algorithm, firstPassages, approximate: approximate)));
            }

            return new MultiField.FusedSearchEngine(engines, fusion);
        }
        catch
        {
            engines.ForEach(e => e.Item2.Dispose());
            throw;
        }
    }

    /// <summary>
    /// The encoder an index was built with, configured from its manifest rather than from defaults (BM25's k1, b and
    /// length norm; the model and vocabulary recorded at build time unless the caller names others), and checked
    /// against the manifest's settings.
    /// </summary>
    public static EncoderDefinition ResolveEncoder(IndexManifest manifest, string indexPath, EncoderOptions options)
    {
        var encoder = EncoderCatalog.Resolve(manifest.Encoder, options with
        {
            ModelPath = options.ModelPath ?? manifest.ModelDirectory,
            VocabPath = options.VocabPath ?? manifest.VocabularyPath,
            K1 = ParseOr(manifest, "k1", options.K1),
            B = ParseOr(manifest, "b", options.B),
            LengthNorm = manifest.EncoderSettings.GetValueOrDefault("length_norm") == "lucene48" ? LengthNorm.Lucene48 : LengthNorm.Exact,
        });
        manifest.EnsureMatches(encoder, indexPath);
        return encoder;
    }

    private static float ParseOr(IndexManifest manifest, string key, float fallback) =>
        manifest.EncoderSettings.TryGetValue(key, out var text) && float.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private sealed class ImpactSearchEngine(ImpactIndexSearcher searcher, EncoderDefinition encoder, TopKAlgorithm algorithm, int? firstPassages,
        Approximate.ApproximateSearchSettings? approximate) : ISearchEngine
    {
        private readonly IQueryEncoder _queries = encoder.CreateQueryEncoder(searcher);

        public IndexManifest Manifest => searcher.Manifest;

        public long DocumentCount => searcher.Manifest.Chunking is null ? searcher.DocumentCount : Chunking.ChunkedDocuments.Count(searcher.Reader);

        public SparseVector EncodeQuery(string query) => _queries.Encode(query);

        public IReadOnlyList<Hit> Search(string query, int k, Filters.SearchFilter? filter = null) =>
            Chunking.DocumentSearch.Top(searcher, _queries.Encode(query), k, algorithm, filter, firstPassages, approximate: approximate).Select(h => new Hit(h.Id, h.Score)).ToArray();

        public IReadOnlyList<DetailedHit> SearchDetailed(string query, int k, bool explain, Filters.SearchFilter? filter = null)
        {
            var vector = _queries.Encode(query);
            return Chunking.DocumentSearch.Describe(searcher, encoder.Analyzer, vector,
                Chunking.DocumentSearch.Top(searcher, vector, k, algorithm, filter, firstPassages, approximate: approximate), explain);
        }

        /// <summary>The engine resolved its encoder from the manifest, so it owns it (a model's sessions) as well as the searcher.</summary>
        public void Dispose()
        {
            searcher.Dispose();
            encoder.Dispose();
        }
    }

    private sealed class LuceneTextSearchEngine(LuceneTextSearcher searcher) : ISearchEngine
    {
        public IndexManifest Manifest => searcher.Manifest;

        public long DocumentCount => searcher.DocumentCount;

        public SparseVector EncodeQuery(string query) => SparseVector.Empty;

        public IReadOnlyList<Hit> Search(string query, int k, Filters.SearchFilter? filter = null) => searcher.Search(query, k, filter);

        public IReadOnlyList<DetailedHit> SearchDetailed(string query, int k, bool explain, Filters.SearchFilter? filter = null) =>
            searcher.SearchDetailed(query, k, filter);

        public void Dispose() => searcher.Dispose();
    }
}
