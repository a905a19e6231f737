using System.Diagnostics;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Util;
using SparseSearch.Bench.Synthetic;
using SparseSearch.Core;
using SparseSearch.Encoding;
using SparseSearch.Encoding.Analysis;
using SparseSearch.Index;
using SparseSearch.Index.Text;

namespace SparseSearch.Bench;

/// <summary>
/// Builds (or reuses) the bench's two indexes over one synthetic corpus: the impact index through the same pre-encoded
/// vectors path as <c>sparse index --vectors</c>, and a Lucene BM25 text index of the documents' text rendering.
/// </summary>
public static class SyntheticIndexes
{
    public const float K1 = 0.9f;
    public const float B = 0.4f;
    private const string SourceMarker = "bench-source.txt";

    public static PrecomputedEncoderDefinition Encoder { get; } = new(new WhitespaceTermAnalyzer());

    /// <param name="approximate">The approximate structures to build with the index (part of what makes an earlier index reusable).</param>
    public static IndexFigures BuildImpact(SyntheticCorpus corpus, string path, bool rebuild, Index.Approximate.ApproximateIndexSettings approximate,
        IProgress<JobProgress>? progress, CancellationToken cancellation)
    {
        var options = new IndexBuildOptions { StoreText = false, Overwrite = true, Approximate = approximate };
        if (!rebuild && IndexBuilder.FindReusable(path, Encoder, corpus.Description, corpus.Fingerprint, options.QuantizationScale, overwrite: true,
            approximate: approximate) is { } existing)
        {
            return new IndexFigures(path, existing.DocumentCount, null, null, DirectoryBytes(path));
        }

        var clock = Stopwatch.StartNew();
        var approximateBefore = Index.Approximate.ApproximateBuildClock.Seconds;
        var manifest = IndexBuilder.BuildFromVectors(corpus, Encoder, path, options, progress, cancellation);
        var seconds = clock.Elapsed.TotalSeconds;
        return new IndexFigures(path, manifest.DocumentCount, seconds, manifest.DocumentCount / seconds, DirectoryBytes(path))
        {
            ApproximateSeconds = Index.Approximate.ApproximateBuildClock.Seconds - approximateBefore,
        };
    }

    public static IndexFigures BuildLuceneBm25(SyntheticCorpus corpus, string path, bool rebuild, IProgress<JobProgress>? progress, CancellationToken cancellation)
    {
        var marker = Path.Combine(path, SourceMarker);
        if (!rebuild && File.Exists(marker) && File.ReadAllText(marker) == corpus.Fingerprint())
        {
            return new IndexFigures(path, corpus.Spec.Documents, null, null, DirectoryBytes(path));
        }

        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        var clock = Stopwatch.StartNew();
        using (var writer = new LuceneTextIndexWriter(path, new WhitespaceAnalyzer(LuceneVersion.LUCENE_48), K1, B, storeText: false))
        {
            var done = 0L;
            foreach (var chunk in corpus.Generate(cancellation).Chunk(4096))
            {
                Parallel.ForEach(chunk, new ParallelOptions { CancellationToken = cancellation },
                    d => writer.Add(new CorpusDocument(d.Id, "", corpus.TextOf(d))));
                done += chunk.Length;
                progress?.Report(new JobProgress("lucene bm25 index", done, corpus.Spec.Documents, clock.Elapsed));
            }

            writer.ForceMerge();
            writer.Commit();
        }

        var seconds = clock.Elapsed.TotalSeconds;
        File.WriteAllText(marker, corpus.Fingerprint());
        return new IndexFigures(path, corpus.Spec.Documents, seconds, corpus.Spec.Documents / seconds, DirectoryBytes(path));
    }

    /// <summary>Bytes of the index's approximate-structure files.</summary>
    public static long ApproximateFileBytes(string path) =>
        new DirectoryInfo(path).EnumerateFiles("*.sap", SearchOption.AllDirectories).Sum(f => f.Length);

    private static long DirectoryBytes(string path) =>
        new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
