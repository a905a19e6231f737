using System.Diagnostics;
using SparseSearch.Core;
using SparseSearch.Encoding;
using SparseSearch.Encoding.Bm25;
using SparseSearch.Index.Impact;
using SparseSearch.Index.Text;

namespace SparseSearch.Index;

/// <summary>
/// Corpus -> encoder -> index. Builds into <c>DIR.partial</c> and renames it to <c>DIR</c> only once the manifest is
/// written, so an interrupted build never leaves something that looks like a finished index.
/// </summary>
public static class IndexBuilder
{
    public const string PartialSuffix = ".partial";

    /// <summary>
    /// Returns the manifest of an existing index that was built from the same source with the same encoder, or null
    /// when there is none; throws when <paramref name="indexPath"/> holds an index of something else.
    /// </summary>
    public static IndexManifest? FindReusable(string indexPath, EncoderDefinition encoder, ICorpusSource source, float scale, bool overwrite)
    {
        if (!IndexManifest.ExistsIn(indexPath))
        {
            return null;
        }

        var manifest = IndexManifest.Read(indexPath);
        try
        {
            manifest.EnsureMatches(encoder, indexPath);
        }
        catch (IndexMismatchException) when (overwrite)
        {
            return null;
        }

        if (manifest.SourceSha256 == source.Fingerprint() && (encoder.Kind == IndexKind.LuceneText || manifest.QuantizationScale == scale))
        {
            return manifest;
        }

        return overwrite ? null : throw new IndexMismatchException(
            $"index {indexPath} was built from {manifest.Source} with scale {manifest.QuantizationScale}, not from {source.Description} with scale {scale}; pass another --index or --overwrite");
    }

    public static IndexManifest Build(ICorpusSource source, EncoderDefinition encoder, string indexPath, IndexBuildOptions options,
        IProgress<JobProgress>? progress = null, CancellationToken cancellation = default)
    {
        if (Directory.Exists(indexPath) && Directory.EnumerateFileSystemEntries(indexPath).Any() && !options.Overwrite)
        {
            if (!IndexManifest.ExistsIn(indexPath))
            {
                throw new IndexMismatchException($"{indexPath} exists and is not a SparseSearch index; pass --overwrite to replace it or choose another --index");
            }

            IndexManifest.Read(indexPath).EnsureMatches(encoder, indexPath);
        }

        var partial = indexPath.TrimEnd('/', '\\') + PartialSuffix;
        if (Directory.Exists(partial))
        {
            Directory.Delete(partial, recursive: true);
        }

        Directory.CreateDirectory(partial);
        var fingerprint = source.Fingerprint();
        var documents = encoder.Kind == IndexKind.Impact
            ? WriteImpacts(source, encoder, partial, options, progress, cancellation)
            : WriteText(source, encoder, partial, options, progress, cancellation);
        var manifest = IndexManifest.For(encoder, options.QuantizationScale, documents, source.Description, fingerprint);
        manifest.Write(partial);
        if (Directory.Exists(indexPath))
        {
            Directory.Delete(indexPath, recursive: true);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(indexPath))!);
        Directory.Move(partial, indexPath);
        return manifest;
    }

    private static long WriteImpacts(ICorpusSource source, EncoderDefinition encoder, string path, IndexBuildOptions options,
        IProgress<JobProgress>? progress, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        CorpusLengthStatistics? statistics = null;
        if (encoder.NeedsCorpusStatistics)
        {
            progress?.Report(new JobProgress("statistics", 0, source.KnownCount, clock.Elapsed));
            statistics = CorpusLengthStatistics.Measure(source.Read(cancellation), encoder.Analyzer, cancellation);
        }

        var documentEncoder = encoder.CreateDocumentEncoder(statistics);
        var quantizer = new ImpactQuantizer(options.QuantizationScale);
        var total = statistics?.DocumentCount ?? source.KnownCount;
        clock.Restart();
        long done = 0;
        using (var writer = new ImpactIndexWriter(path, quantizer, options.StoreText, options.BatchSize, replaceExisting: true))
        {
            var parallel = new ParallelOptions { CancellationToken = cancellation };
            foreach (var chunk in source.Read(cancellation).Chunk(options.EncodeChunkSize))
            {
                var encoded = new ImpactDocument[chunk.Length];
                Parallel.For(0, chunk.Length, parallel, i =>
                {
                    var document = chunk[i];
                    var impacts = quantizer.Quantize(documentEncoder.Encode(document));
                    encoded[i] = options.StoreText
                        ? new ImpactDocument(document.Id, document.Title, document.Text, impacts)
                        : new ImpactDocument(document.Id, "", "", impacts);
                });
                foreach (var document in encoded)
                {
                    writer.Add(document);
                }

                done += chunk.Length;
                progress?.Report(new JobProgress("encode", done, total, clock.Elapsed));
            }

            writer.Commit();
            writer.ForceMerge();
            writer.Commit();
            return writer.DocumentCount;
        }
    }

    private static long WriteText(ICorpusSource source, EncoderDefinition encoder, string path, IndexBuildOptions options,
        IProgress<JobProgress>? progress, CancellationToken cancellation)
    {
        var bm25 = (Bm25EncoderDefinition)encoder;
        var analyzer = encoder.Analyzer as Encoding.Analysis.EnglishTermAnalyzer
            ?? throw new InvalidSettingException($"encoder '{encoder.Name}' needs Lucene's English analysis");
        var clock = Stopwatch.StartNew();
        long done = 0;
        using var writer = new LuceneTextIndexWriter(path, analyzer.LuceneAnalyzer, bm25.Parameters.K1, bm25.Parameters.B, options.StoreText);
        var parallel = new ParallelOptions { CancellationToken = cancellation };
        foreach (var chunk in source.Read(cancellation).Chunk(options.EncodeChunkSize))
        {
            Parallel.ForEach(chunk, parallel, writer.Add);
            done += chunk.Length;
            progress?.Report(new JobProgress("index", done, source.KnownCount, clock.Elapsed));
        }

        writer.Commit();
        writer.ForceMerge();
        writer.Commit();
        return done;
    }
}
