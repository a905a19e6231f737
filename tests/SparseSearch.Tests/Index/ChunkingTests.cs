using System.Text.Json;
using SparseSearch.Core;
using SparseSearch.Encoding;
using SparseSearch.Encoding.Analysis;
using SparseSearch.Index;
using SparseSearch.Index.Chunking;
using SparseSearch.Index.Impact;
using SparseSearch.Index.Impact.TopK;
using SparseSearch.Index.Live;
using SparseSearch.Tests.Models;
using static SparseSearch.Tests.Cli.SparseCli;

namespace SparseSearch.Tests.Index;

/// <summary>
/// Long documents: windows of the encoder's own tokens, MaxP aggregation checked against a reference computed here from
/// every chunk's exhaustive score, a match past the model's max_length found only with chunking, and chunked documents
/// replaced and deleted whole.
/// </summary>
public class ChunkingTests
{
    /// <summary>uniCOIL weighs only the tokens it reads (no expansion), so what lies past max_length is truly absent.</summary>
    private static string TinyUnicoil => ModelFidelityTests.ModelDirectory("tiny-unicoil");

    [Theory]
    [InlineData(5, 0)]
    [InlineData(7, 3)]
    [InlineData(1, 0)]
    public void Windows_hold_at_most_the_budget_cover_the_text_and_overlap_as_asked(int window, int overlap)
    {
        using var analyzer = new EnglishTermAnalyzer();
        var random = new Random(window * 31 + overlap);
        var words = new[] { "retrieval", "the", "sparse", "of", "indexes", "learned", "a", "weights", "queries", "documents" };
        for (var trial = 0; trial < 50; trial++)
        {
            var text = string.Join(random.Next(3) == 0 ? "  " : " ", Enumerable.Range(0, random.Next(0, 60)).Select(_ => words[random.Next(words.Length)]));
            var chunks = DocumentChunker.Split(text, analyzer, window, overlap);
            Assert.NotEmpty(chunks);
            Assert.Equal(0, chunks[0].Start);
            Assert.Equal(text.Length, chunks[^1].End);
            for (var c = 0; c < chunks.Count; c++)
            {
                var terms = analyzer.Terms(text[chunks[c].Start..chunks[c].End]);
                Assert.True(terms.Count <= window, $"chunk {c} of '{text}' holds {terms.Count} tokens");
                if (c > 0)
                {
                    // Consecutive chunks move forward and share at least the overlap (whole words), unless the chunk
                    // before them was one word.
                    Assert.True(chunks[c].Start > chunks[c - 1].Start);
                    Assert.True(chunks[c].Start <= chunks[c - 1].End || string.IsNullOrWhiteSpace(text[chunks[c - 1].End..chunks[c].Start]));
                    var shared = analyzer.Terms(text[chunks[c].Start..Math.Max(chunks[c].Start, chunks[c - 1].End)]).Count;
                    var previousWords = text[chunks[c - 1].Start..chunks[c - 1].End].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
                    Assert.True(shared >= overlap || previousWords == 1 || shared >= analyzer.Terms(text[chunks[c - 1].Start..chunks[c - 1].End]).Count - 1,
                        $"chunks {c - 1} and {c} share {shared} tokens");
                }
            }

            // Every word is in some chunk.
            var covered = new bool[text.Length];
            foreach (var chunk in chunks)
            {
                for (var i = chunk.Start; i < chunk.End; i++)
                {
                    covered[i] = true;
                }
            }

            Assert.All(Enumerable.Range(0, text.Length).Where(i => !char.IsWhiteSpace(text[i])), i => Assert.True(covered[i]));
        }
    }

    [Fact]
    public async Task A_match_past_the_models_max_length_is_found_with_chunking_and_missed_without()
    {
        using var directory = TestPaths.Temporary();
        var dataset = directory.Combine("long");
        Directory.CreateDirectory(dataset);
        // tiny-unicoil reads 48 tokens; "tokyo" comes after 150 words of filler, "paris" in the other document's first words.
        var filler = string.Join(' ', Enumerable.Repeat("the quick brown fox", 40));
        await File.WriteAllLinesAsync(Path.Combine(dataset, "corpus.jsonl"),
        [
            JsonSerializer.Serialize(new Dictionary<string, string> { ["_id"] = "long", ["title"] = "", ["text"] = filler + " tokyo tokyo tokyo" }),
            JsonSerializer.Serialize(new Dictionary<string, string> { ["_id"] = "short", ["title"] = "", ["text"] = "paris " + filler }),
        ]);

        var (code, _, error) = await Run("index", "--dataset", dataset, "--encoder", "model", "--model", TinyUnicoil, "--index", directory.Combine("whole"));
        Assert.True(code == 0, error);
        (code, _, error) = await Run("index", "--dataset", dataset, "--encoder", "model", "--model", TinyUnicoil, "--index", directory.Combine("chunked"),
            "--chunk-tokens", "auto", "--chunk-overlap", "8");
        Assert.True(code == 0, error);

        var whole = await TokyoWeight(directory.Combine("whole"));
        var chunked = await TokyoWeight(directory.Combine("chunked"));
        Assert.Null(whole);
        Assert.NotNull(chunked);
        Assert.StartsWith("long#", chunked.Value.Passage);
        Assert.Contains("tokyo", chunked.Value.Snippet);

        // Searching only the first passage loses it again; the document count is the documents', not the chunks'.
        (code, var output, error) = await Run("search", "--index", directory.Combine("chunked"), "tokyo", "--first-passages", "1", "--output", "json", "--explain");
        Assert.True(code == 0, error);
        Assert.DoesNotContain(JsonDocument.Parse(output).RootElement.GetProperty("hits").EnumerateArray(), h => Matches(h, "tokyo"));
        using var engine = SearchEngines.Open(directory.Combine("chunked"), null, new EncoderOptions(null));
        Assert.Equal(2, engine.DocumentCount);
    }

    /// <summary>The "long" document's hit for "tokyo" when its score includes the term itself, else null.</summary>
    private static async Task<(string? Passage, string Snippet)?> TokyoWeight(string index)
    {
        var (code, output, error) = await Run("search", "--index", index, "tokyo", "--output", "json", "--explain");
        Assert.True(code == 0, error);
        foreach (var hit in JsonDocument.Parse(output).RootElement.GetProperty("hits").EnumerateArray())
        {
            if (hit.GetProperty("id").GetString() == "long" && Matches(hit, "tokyo"))
            {
                return (hit.GetProperty("passage").GetString(), hit.GetProperty("snippet").GetString()!);
            }
        }

        return null;
    }

    private static bool Matches(JsonElement hit, string term) => hit.GetProperty("matches").EnumerateArray().Any(m => m.GetProperty("term").GetString() == term);

    [Fact]
    public void Pruned_chunked_top_k_equals_exhaustive_and_the_best_chunk_reference()
    {
        using var directory = TestPaths.Temporary();
        var random = new Random(5);
        var vocabulary = Enumerable.Range(0, 300).Select(i => $"w{i}").ToArray();
        var documents = Enumerable.Range(0, 1_500).Select(i => new CorpusDocument($"d{i}", "", string.Join(' ',
            Enumerable.Range(0, random.Next(1, 200)).Select(_ => vocabulary[(int)Math.Pow(random.Next(1, 300 * 300), 0.5)])))).ToArray();
        using var encoder = EncoderCatalog.Resolve("bm25", new EncoderOptions(null));
        var chunking = ChunkingSettings.Resolve("24", 6, encoder);
        IndexBuilder.Build(new InMemoryCorpus(documents), encoder, directory.Path, new IndexBuildOptions { QuantizationScale = 1000, Chunking = chunking, BatchSize = 2_000 });

        var manifest = IndexManifest.Read(directory.Path);
        Assert.Equal(documents.Length, manifest.DocumentCount);
        using var searcher = ImpactIndexSearcher.Open(directory.Path, manifest);
        Assert.True(searcher.LiveDocumentCount > documents.Length * 2, "documents must span several chunks");
        var queries = encoder.CreateQueryEncoder(searcher);
        for (var q = 0; q < 60; q++)
        {
            var vector = queries.Encode(string.Join(' ', Enumerable.Range(0, random.Next(1, 6)).Select(_ => vocabulary[random.Next(40, 300)])));
            foreach (var k in new[] { 1, 10, 100 })
            {
                var pruned = DocumentSearch.Top(searcher, vector, k, TopKAlgorithm.BlockMaxScore, null);
                var exhaustive = DocumentSearch.Top(searcher, vector, k, TopKAlgorithm.Exhaustive, null);
                Assert.Equal(exhaustive, pruned);

                // Reference: every chunk scored, each document by its best chunk (ties to the lower chunk doc number).
                var all = searcher.SearchTopDocs(vector, (int)searcher.Reader.MaxDoc, TopKAlgorithm.Exhaustive);
                var reference = all.ScoreDocs
                    .GroupBy(d => SparseSearch.Index.Chunking.ChunkIds.Parent(searcher.IdOf(d.Doc)))
                    .Select(g => g.OrderByDescending(d => d.Score).ThenBy(d => d.Doc).First() is var best ? DocumentHit.Of(g.Key, best) : null!)
                    .OrderByDescending(h => h.Score).ThenBy(h => h.Doc).Take(k).ToArray();
                Assert.Equal(reference, pruned);
            }
        }
    }

    [Fact]
    public async Task A_chunked_document_is_replaced_and_deleted_whole()
    {
        using var directory = TestPaths.Temporary();
        using var encoder = EncoderCatalog.Resolve("bm25", new EncoderOptions(null));
        var chunking = ChunkingSettings.Resolve("4", 0, encoder)!;
        IndexBuilder.Build(new InMemoryCorpus([new CorpusDocument("a", "", "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda"),
            new CorpusDocument("b", "", "other words")]), encoder, directory.Path, new IndexBuildOptions { Chunking = chunking });

        using var live = LiveIndex.Open(directory.Path, "test");
        var quantizer = live.Quantizer;
        Assert.Equal(3, live.Read(s => ChunksOf(s, "a")));
        var document = new CorpusDocument("a", "", "alpha omega");
        var parts = chunking.Split(document, encoder).Select(p => IndexBuilder.Chunk(p, quantizer.Quantize(new SparseVector(new Dictionary<string, float> { ["alpha"] = 1f })),
            new IndexBuildOptions())).ToArray();
        await live.AddAsync(parts);
        Assert.Equal(1, live.Read(s => ChunksOf(s, "a")));
        Assert.True(await live.DeleteAsync("a"));
        Assert.Equal(0, live.Read(s => ChunksOf(s, "a")));
        Assert.Equal(1, live.Read(s => ChunkedDocuments.Count(s.Reader)));
    }

    private static int ChunksOf(ImpactIndexSearcher searcher, string parent) =>
        Enumerable.Range(0, 20).Count(n => searcher.Find(SparseSearch.Index.Chunking.ChunkIds.Of(parent, n)) >= 0);

    private sealed class InMemoryCorpus(IReadOnlyList<CorpusDocument> documents) : ICorpusSource
    {
        public string Description => "memory";

        public long? KnownCount => documents.Count;

        public string Fingerprint() => documents.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public IEnumerable<CorpusDocument> Read(CancellationToken cancellation = default) => documents;
    }
}
