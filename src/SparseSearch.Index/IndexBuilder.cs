using System.Diagnostics;
using SparseSearch.Core;
using SparseSearch.Encoding;
using SparseSearch.Encoding.Bm25;
using SparseSearch.Index.Impact;
using SparseSearch.Index.Text;

namespace SparseSearch.Index;

/// <summary>
/// Corpus -> encoder -> index, crash-safe and resumable. The job writes into <c>DIR.partial</c>, committing every
/// <see cref="IndexBuildOptions.CommitEvery"/> records with its progress in the commit (<see cref="IndexJob"/>); a
/// rerun of the same job continues from the last commit (ids are unique keys, so records redone after a kill replace
/// themselves). Only a finished index gets its manifest and is renamed to <c>DIR</c>: a directory without
/// <c>sparse-index.json</c> is never taken for an index.
/// </summary>
public static class IndexBuilder
{
    public const string PartialSuffix = ".partial";

    /// <summary>Where the index being replaced waits while the new one is renamed in.</summary>
    public const string PreviousSuffix = ".previous";

    /// <summary>Encoded chunks read ahead of the writer: enough to keep both cores busy, few enough to bound memory.</summary>
    private const int PrefetchedChunks = 4;

    /// <summary>Chunks split and prepared (tokenized) ahead of the encoder at most.</summary>
    private const int PreparedChunks = 2;

    /// <summary>
    /// Returns the manifest of an existing index that was built from the same source with the same encoder, or null
    /// when there is none; throws when <paramref name="indexPath"/> holds an index of something else.
    /// </summary>
    public static IndexManifest? FindReusable(string indexPath, EncoderDefinition encoder, ICorpusSource source, float scale, bool overwrite,
        Chunking.ChunkingSettings? chunking = null, Approximate.ApproximateIndexSettings? approximate = null) =>
        FindReusable(indexPath, encoder, source.Description, source.Fingerprint, scale, overwrite, chunking, approximate);

    /// <inheritdoc cref="FindReusable(string, EncoderDefinition, ICorpusSource, float, bool)"/>
    public static IndexManifest? FindReusable(string indexPath, EncoderDefinition encoder, string sourceDescription, Func<string> sourceFingerprint,
        float scale, bool overwrite, Chunking.ChunkingSettings? chunking = null, Approximate.ApproximateIndexSettings? approximate = null)
    {
        if (!IndexManifest.ExistsIn(indexPath))
        {
            return null;
        }

        IndexManifest manifest;
        try
        {
            // An index of an older format, or of another encoder, is stale: rebuilt when overwriting, refused otherwise.
            manifest = IndexManifest.Read(indexPath);
            manifest.EnsureMatches(encoder, indexPath);
        }
        catch (IndexMismatchException) when (overwrite)
        {
            return null;
        }

        if (manifest.ChangedSinceBuild)
        {
            return overwrite ? null : throw new IndexMismatchException(
                $"index {indexPath} was changed through the service since it was built from {manifest.Source}; pass --overwrite to rebuild it, or another --index");
        }

        if (manifest.SourceSha256 == sourceFingerprint() && (encoder.Kind == IndexKind.LuceneText || manifest.QuantizationScale == scale) && manifest.Chunking == chunking
            && (approximate is null || manifest.Approximate == approximate))
        {
            return manifest;
        }

        return overwrite ? null : throw new IndexMismatchException(
            $"index {indexPath} was built from {manifest.Source} with scale {manifest.QuantizationScale}, chunking {manifest.Chunking?.ToString() ?? "off"} and approximate structures {manifest.Approximate?.ToString() ?? "off"}, not from {sourceDescription} with scale {scale}, chunking {chunking?.ToString() ?? "off"} and approximate structures {approximate?.ToString() ?? "off"}; pass another --index or --overwrite");
    }

    /// <summary>
    /// Reuses the index at <paramref name="indexPath"/> when it was built from the same corpus with the same encoder and
    /// scale; builds it otherwise (replacing another index there only if <see cref="IndexBuildOptions.Overwrite"/>).
    /// Returns whether it was reused.
    /// </summary>
    public static bool EnsureBuilt(ICorpusSource source, EncoderDefinition encoder, string indexPath, IndexBuildOptions options,
        IProgress<JobProgress>? progress = null, CancellationToken cancellation = default)
    {
        if (FindReusable(indexPath, encoder, source, options.QuantizationScale, options.Overwrite, options.Chunking, options.Approximate) is not null)
        {
            return true;
        }

        // FindReusable refused any index of another encoder or corpus unless overwriting: what is left is stale.
        Build(source, encoder, indexPath, options with { Overwrite = true }, progress, cancellation);
        return false;
    }

    public static IndexManifest Build(ICorpusSource source, EncoderDefinition encoder, string indexPath, IndexBuildOptions options,
        IProgress<JobProgress>? progress = null, CancellationToken cancellation = default) =>
        Run(source.Description, source.Fingerprint(), encoder, indexPath, options, (partial, job) => encoder.Kind == IndexKind.Impact
            ? WriteImpacts(source, encoder, partial, options, job, progress, cancellation)
            : WriteText(source, encoder, partial, options, job, progress, cancellation));

    /// <summary>Indexes documents encoded elsewhere; <paramref name="encoder"/> says how queries against them are encoded.</summary>
    public static IndexManifest BuildFromVectors(IEncodedCorpusSource source, PrecomputedEncoderDefinition encoder, string indexPath, IndexBuildOptions options,
        IProgress<JobProgress>? progress = null, CancellationToken cancellation = default) =>
        Run(source.Description, source.Fingerprint(), encoder, indexPath, options, (partial, job) =>
        {
            var quantizer = new ImpactQuantizer(options.QuantizationScale);
            using var writer = new ImpactIndexWriter(partial, quantizer, options.StoreText, options.BatchSize, replaceExisting: true, bulk: true,
                finalSegments: options.FinalSegments, approximate: options.Approximate);
            var parallel = new ParallelOptions { CancellationToken = cancellation };
            var chunks = Chunks(source.Read(cancellation), job, options).Select(chunk =>
            {
                var quantized = new ImpactDocument[chunk.Length];
                Parallel.For(0, chunk.Length, parallel, i =>
                {
                    var document = chunk[i];
                    quantized[i] = (options.StoreText
                        ? new ImpactDocument(document.Id, document.Title, document.Text, quantizer.Quantize(document.Vector))
                        : new ImpactDocument(document.Id, "", "", quantizer.Quantize(document.Vector))) with
                    { Metadata = document.Metadata, Sequence = document.Sequence };
                });
                return quantized;
            });
            RunChunks(Pipeline.Prefetch(chunks, PrefetchedChunks, cancellation), options, job, progress, null, Stopwatch.StartNew(), writer.CommitInBackground, chunk =>
            {
                foreach (var document in chunk)
                {
                    writer.Add(document);
                }
            });
            writer.ForceMerge();
            writer.Commit();
            return (writer.DocumentCount, null);
        });

    private static IndexManifest Run(string description, string fingerprint, EncoderDefinition encoder, string indexPath, IndexBuildOptions options,
        Func<string, IndexJob, (long Documents, CorpusLengthStatistics? Statistics)> write)
    {
        // One writer per index: refused while a server or another job holds it, and held until the new index is published.
        using var held = IndexLock.Acquire(indexPath, $"sparse index job (pid {Environment.ProcessId})");
        RefuseForeignIndex(encoder, indexPath, options);
        var settingsHash = IndexJob.HashSettings(fingerprint, encoder, options);
        var partial = indexPath.TrimEnd('/', '\\') + PartialSuffix;
        var job = new IndexJob(description, settingsHash, ResumePoint(partial, settingsHash, options.Overwrite));
        var (documents, statistics) = write(partial, job);
        if (documents == 0)
        {
            throw new InvalidCorpusException($"{description} holds no documents; nothing to index");
        }

        var manifest = IndexManifest.For(encoder, options.QuantizationScale, documents, description, fingerprint) with
        {
            Chunking = options.Chunking,
            Approximate = options.Approximate,
            CorpusStatistics = statistics,
            ModelDirectory = encoder is Encoding.Models.ModelEncoderDefinition model ? Path.GetFullPath(model.Manifest.Directory) : null,
            VocabularyPath = encoder.Analyzer is Encoding.Analysis.WordPieceTermAnalyzer wordPiece ? wordPiece.VocabularyPath : null,
        };
        manifest.Write(partial);
        Publish(partial, indexPath);
        return manifest;
    }

    private static void RefuseForeignIndex(EncoderDefinition encoder, string indexPath, IndexBuildOptions options)
    {
        if (options.Overwrite || !Directory.Exists(indexPath) || !Directory.EnumerateFileSystemEntries(indexPath).Any())
        {
            return;
        }

        if (!IndexManifest.ExistsIn(indexPath))
        {
            throw new IndexMismatchException($"{indexPath} exists and is not a SparseSearch index; pass --overwrite to replace it or choose another --index");
        }

        IndexManifest.Read(indexPath).EnsureMatches(encoder, indexPath);
    }

    /// <summary>Records already durable in an interrupted build of the same job, or 0 for a fresh start.</summary>
    private static long ResumePoint(string partial, string settingsHash, bool overwrite)
    {
        if (!Directory.Exists(partial))
        {
            Directory.CreateDirectory(partial);
            return 0;
        }

        var previous = IndexJob.ReadLatest(partial);
        if (previous is not null && previous.SettingsHash == settingsHash)
        {
            // The manifest of a finished-but-unpublished build is rewritten at the end anyway.
            File.Delete(Path.Combine(partial, IndexManifest.FileName));
            return previous.Consumed;
        }

        if (previous is not null && !overwrite)
        {
            throw new IndexMismatchException(
                $"{partial} holds an interrupted build of {previous.Source} with other settings; pass --overwrite to discard it, or rerun that build");
        }

        // No commit yet (killed before the first one) or discarded by --overwrite: start over. The lock rules out
        // another job's build in progress; what is left is ours, unless it holds files Lucene would not have written.
        if (previous is null && !overwrite && Directory.EnumerateFileSystemEntries(partial).Select(Path.GetFileName).FirstOrDefault(name => !IsIndexFile(name!)) is { } foreign)
        {
            throw new IndexMismatchException($"{partial} holds '{foreign}', which no build writes; move it away or pass --overwrite to discard the directory");
        }

        Directory.Delete(partial, recursive: true);
        Directory.CreateDirectory(partial);
        return 0;
    }

    private static bool IsIndexFile(string name) =>
        name.StartsWith('_') || name.StartsWith("segments", StringComparison.Ordinal) || name == "write.lock" || name.StartsWith(IndexManifest.FileName, StringComparison.Ordinal);

    /// <summary>
    /// Swaps the finished build in by renames only: the old index moves aside to <c>DIR.previous</c>, the build takes its
    /// name, then the old one is deleted. Nothing is deleted while it still has the index's name, so a reader that has
    /// it open keeps reading whole files; killed anywhere, the rerun finds either the published index or the finished
    /// <c>.partial</c>, and clears a leftover <c>.previous</c>.
    /// </summary>
    private static void Publish(string partial, string indexPath)
    {
        var previous = indexPath.TrimEnd('/', '\\') + PreviousSuffix;
        if (Directory.Exists(previous))
        {
            Directory.Delete(previous, recursive: true);
        }

        if (Directory.Exists(indexPath))
        {
            Directory.Move(indexPath, previous);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(indexPath))!);
        Directory.Move(partial, indexPath);
        if (Directory.Exists(previous))
        {
            Directory.Delete(previous, recursive: true);
        }
    }

    private static (long, CorpusLengthStatistics?) WriteImpacts(ICorpusSource source, EncoderDefinition encoder, string path, IndexBuildOptions options,
        IndexJob job, IProgress<JobProgress>? progress, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        // A shard of a cluster is given the whole corpus's statistics, so its documents weigh what they weigh on one node.
        var statistics = encoder.NeedsCorpusStatistics ? options.CorpusStatistics : null;
        if (encoder.NeedsCorpusStatistics && statistics is null)
        {
            progress?.Report(new JobProgress("statistics", 0, source.KnownCount, clock.Elapsed));
            statistics = CorpusLengthStatistics.Measure(source.Read(cancellation), encoder.Analyzer, cancellation);
        }

        var documentEncoder = encoder.CreateDocumentEncoder(statistics);
        var quantizer = new ImpactQuantizer(options.QuantizationScale);
        var total = options.CorpusStatistics is null ? statistics?.DocumentCount ?? source.KnownCount : source.KnownCount;
        using var writer = new ImpactIndexWriter(path, quantizer, options.StoreText, options.BatchSize, replaceExisting: true, bulk: true,
                finalSegments: options.FinalSegments, approximate: options.Approximate);
        var parallel = new ParallelOptions { CancellationToken = cancellation };
        var batchEncoder = documentEncoder as IBatchDocumentEncoder;
        // A chunk ahead, on its own thread: splitting records into passages and the encoder's host-side preparation (a
        // model's tokenizing), so the model does not wait for them.
        var prepared = Pipeline.Prefetch(Chunks(source.Read(cancellation), job, options).Select(chunk =>
        {
            var parts = new Chunking.ChunkDocument[chunk.Length][];
            Parallel.For(0, chunk.Length, parallel, i => parts[i] = options.Chunking is { } chunking
                ? chunking.Split(chunk[i], encoder).ToArray()
                : [new Chunking.ChunkDocument(chunk[i], chunk[i], default)]);
            var flat = parts.SelectMany(p => p).ToArray();
            var texts = flat.Select(p => p.Document).ToArray();
            return (parts, flat, texts, ready: batchEncoder?.Prepare(texts));
        }), PreparedChunks, cancellation);
        // One array per corpus record (its chunks, or the whole document), so progress and resume count records.
        var chunks = Pipeline.MapOrdered(prepared, item =>
        {
            var (parts, flat, texts, ready) = item;
            // Models encode a chunk in batched runs (ONNX Runtime uses every core); analyzers go document by document.
            var vectors = batchEncoder?.Encode(texts, ready);
            var encoded = new ImpactDocument[flat.Length];
            Parallel.For(0, flat.Length, parallel, i =>
            {
                var part = flat[i];
                var impacts = quantizer.Quantize(vectors?[i] ?? documentEncoder.Encode(part.Document));
                encoded[i] = options.Chunking is null ? Whole(part.Document, impacts, options) : Chunk(part, impacts, options);
            });
            var records = new ImpactDocument[parts.Length][];
            var at = 0;
            for (var r = 0; r < records.Length; r++)
            {
                records[r] = encoded[at..(at += parts[r].Length)];
            }

            return records;
        }, encoder.ConcurrentEncodeChunks, cancellation);
        RunChunks(Pipeline.Prefetch(chunks, PrefetchedChunks, cancellation), options, job, progress, total, clock, writer.CommitInBackground, records =>
        {
            foreach (var record in records)
            {
                foreach (var document in record)
                {
                    writer.Add(document);
                }
            }
        });
        writer.ForceMerge();
        writer.Commit();
        return (options.Chunking is null ? writer.DocumentCount : writer.ChunkedDocumentCount, statistics);
    }

    private static ImpactDocument Whole(CorpusDocument document, IReadOnlyList<TermImpact> impacts, IndexBuildOptions options) =>
        (options.StoreText ? new ImpactDocument(document.Id, document.Title, document.Text, impacts) : new ImpactDocument(document.Id, "", "", impacts))
            with
        { Metadata = document.Metadata, Sequence = document.Sequence };

    /// <summary>A chunk as the index holds it: the first chunk stores its document's title and whole text, once.</summary>
    public static ImpactDocument Chunk(Chunking.ChunkDocument part, IReadOnlyList<TermImpact> impacts, IndexBuildOptions options)
    {
        var whole = options.StoreText && part.Chunk.Ordinal == 0 ? part.Source : null;
        return new ImpactDocument(part.Document.Id, whole?.Title ?? "", whole?.Text ?? "", impacts)
        {
            Metadata = part.Document.Metadata,
            Sequence = part.Source.Sequence,
            Parent = part.Parent,
            Chunk = part.Chunk,
        };
    }

    private static (long, CorpusLengthStatistics?) WriteText(ICorpusSource source, EncoderDefinition encoder, string path, IndexBuildOptions options,
        IndexJob job, IProgress<JobProgress>? progress, CancellationToken cancellation)
    {
        var bm25 = (Bm25EncoderDefinition)encoder;
        var analyzer = encoder.Analyzer as Encoding.Analysis.EnglishTermAnalyzer
            ?? throw new InvalidSettingException($"encoder '{encoder.Name}' needs Lucene's English analysis");
        using var writer = new LuceneTextIndexWriter(path, analyzer.LuceneAnalyzer, bm25.Parameters.K1, bm25.Parameters.B, options.StoreText);
        RunChunks(Chunks(source.Read(cancellation), job, options), options, job, progress, source.KnownCount, Stopwatch.StartNew(), writer.Commit, chunk =>
        {
            // One thread, in corpus order (the last occurrence of an id wins): parallel adds made Lucene's document
            // order, and so which tied documents made the top 1000, differ from build to build (CACM R@1000 0.8856 or
            // 0.8867). This is the reference index; its build time matters less than its being repeatable.
            foreach (var document in chunk)
            {
                cancellation.ThrowIfCancellationRequested();
                writer.Add(document);
            }
        });
        writer.ForceMerge();
        writer.Commit();
        return (writer.DocumentCount, null);
    }

    /// <summary>The corpus from the job's resume point, in chunks of <see cref="IndexBuildOptions.EncodeChunkSize"/>.</summary>
    private static IEnumerable<T[]> Chunks<T>(IEnumerable<T> records, IndexJob job, IndexBuildOptions options) =>
        SkipRecords(records, job.Consumed).Chunk(options.EncodeChunkSize);

    /// <summary>Writes the chunks, committing progress every CommitEvery records.</summary>
    private static void RunChunks<T>(IEnumerable<T[]> chunks, IndexBuildOptions options, IndexJob job, IProgress<JobProgress>? progress,
        long? total, Stopwatch clock, Action<IDictionary<string, string>> commit, Action<T[]> write)
    {
        var consumed = job.Consumed;
        var sinceCommit = 0L;
        var remaining = total is { } t ? t - consumed : (long?)null;
        var done = 0L;
        foreach (var chunk in chunks)
        {
            write(chunk);
            consumed += chunk.Length;
            done += chunk.Length;
            sinceCommit += chunk.Length;
            if (sinceCommit >= options.CommitEvery)
            {
                commit((job with { Consumed = consumed }).ToUserData());
                sinceCommit = 0;
            }

            progress?.Report(new JobProgress(job.Consumed > 0 ? $"encode (resumed at {job.Consumed})" : "encode", done, remaining, clock.Elapsed));
        }

        commit((job with { Consumed = consumed }).ToUserData());
    }

    /// <summary>Enumerable.Skip takes an int; corpora can hold more records than that.</summary>
    private static IEnumerable<T> SkipRecords<T>(IEnumerable<T> records, long count)
    {
        foreach (var record in records)
        {
            if (count > 0)
            {
                count--;
                continue;
            }

            yield return record;
        }
    }
}
