using System.Security.Cryptography;
using System.Text;
using Utf8 = System.Text.Encoding;
using System.Text.Json;
using SparseSearch.Core;

namespace SparseSearch.Bench.Synthetic;

/// <summary>
/// SPLADE-like documents and queries, deterministic by seed. Terms are Zipf–Mandelbrot distributed over a BERT-sized
/// vocabulary, each document has 100–250 distinct terms, and weights are log-normal (a long right tail, capped at 3.5
/// as SPLADE's log(1 + ReLU) outputs rarely exceed it) around a scale that grows with the term's rarity, in documents
/// and expanded queries alike. Documents are generated on demand and in parallel,
/// never held in memory together, so a million of them stream through an index build in bounded memory.
/// </summary>
public sealed class SyntheticCorpus : IEncodedCorpusSource
{
    private const int ChunkSize = 2048;

    /// <summary>Bumped whenever generation changes, so indexes of an older corpus are not taken for this one.</summary>
    private const int GeneratorVersion = 4;

    /// <summary>Each document's metadata <c>bucket</c>, uniform over 0..999: a range of width w selects w/1000 of the corpus.</summary>
    public const int Buckets = 1000;
    private readonly ZipfSampler _zipf;

    public SyntheticCorpus(SyntheticCorpusSpec spec)
    {
        if (spec.Documents < 1 || spec.VocabularySize < spec.MaxTermsPerDocument * 2 || spec.MinTermsPerDocument < 1
            || spec.MinTermsPerDocument > spec.MaxTermsPerDocument)
        {
            throw new InvalidSettingException("synthetic corpus: need ≥ 1 document, 1 ≤ min terms ≤ max terms, and a vocabulary of at least twice the max terms");
        }

        Spec = spec;
        _zipf = new ZipfSampler(spec.VocabularySize, spec.ZipfExponent, spec.ZipfOffset);
        Vocabulary = Enumerable.Range(0, spec.VocabularySize).Select(r => $"w{r}").ToArray();
        InferenceFreeQueries = Enumerable.Range(0, spec.InferenceFreeQueries).Select(InferenceFreeQuery).ToArray();
        ExpandedQueries = Enumerable.Range(0, spec.ExpandedQueries).Select(ExpandedQuery).ToArray();
    }

    public SyntheticCorpusSpec Spec { get; }

    /// <summary>Term names by rank: w0 is the commonest.</summary>
    public string[] Vocabulary { get; }

    /// <summary>5–15 distinct tokens each, as a tokenized short query; weighted by idf at search time.</summary>
    public IReadOnlyList<string[]> InferenceFreeQueries { get; }

    /// <summary>30–80 weighted terms each, as a model-expanded (siamese) query.</summary>
    public IReadOnlyList<SparseVector> ExpandedQueries { get; }

    public string Description => $"synthetic:{Spec.Documents}:seed={Spec.Seed}";

    public string Fingerprint() =>
        Convert.ToHexStringLower(SHA256.HashData(Utf8.UTF8.GetBytes($"v{GeneratorVersion}:{JsonSerializer.Serialize(Spec)}")));

    public IEnumerable<SyntheticDocument> Generate(CancellationToken cancellation = default) => Generate(Document, cancellation);

    public IEnumerable<EncodedDocument> Read(CancellationToken cancellation = default) => Generate(number =>
    {
        var document = Document(number);
        return new EncodedDocument(document.Id, "", "", ToVector(document.Terms, document.Weights))
        {
            Metadata = MetadataOf(number),
        };
    }, cancellation);

    private DocumentMetadata MetadataOf(long number)
    {
        using var json = JsonDocument.Parse($"{{\"bucket\":{BucketOf(number)}}}");
        return DocumentMetadata.FromJson(json.RootElement);
    }

    /// <summary>The document's filter bucket, from its own random stream (independent of its terms and of its position).</summary>
    public int BucketOf(long number) => (int)(SplitMix64.For(Spec.Seed, ~number).Next() % Buckets);

    /// <summary>Documents in order, made a chunk at a time in parallel: the consumer only receives finished ones.</summary>
    private IEnumerable<T> Generate<T>(Func<long, T> make, CancellationToken cancellation)
    {
        for (long start = 0; start < Spec.Documents; start += ChunkSize)
        {
            cancellation.ThrowIfCancellationRequested();
            var chunk = new T[(int)Math.Min(ChunkSize, Spec.Documents - start)];
            var first = start;
            Parallel.For(0, chunk.Length, i => chunk[i] = make(first + i));
            foreach (var document in chunk)
            {
                yield return document;
            }
        }
    }

    /// <summary>
    /// The document as text for Lucene's BM25: each term repeated 1 + ⌊weight⌋ times, so term frequencies follow the
    /// learned weights and Lucene scores the same postings lists as the impact index.
    /// </summary>
    public string TextOf(SyntheticDocument document)
    {
        var text = new StringBuilder(document.Terms.Length * 8);
        for (var i = 0; i < document.Terms.Length; i++)
        {
            for (var repeat = 0; repeat <= (int)document.Weights[i]; repeat++)
            {
                text.Append(Vocabulary[document.Terms[i]]).Append(' ');
            }
        }

        return text.ToString();
    }

    public SyntheticDocument Document(long number)
    {
        var random = SplitMix64.For(Spec.Seed, number);
        var terms = DistinctTerms(ref random, random.Between(Spec.MinTermsPerDocument, Spec.MaxTermsPerDocument));
        var weights = new float[terms.Length];
        for (var i = 0; i < terms.Length; i++)
        {
            weights[i] = (float)Math.Clamp(Importance(terms[i]) * Math.Exp(0.4 + (0.5 * random.NextGaussian())), 0.01, 3.5);
        }

        return new SyntheticDocument($"d{number}", terms, weights);
    }

    private string[] InferenceFreeQuery(int number)
    {
        var random = SplitMix64.For(Spec.Seed, -1L - number);
        return DistinctTerms(ref random, random.Between(5, 15)).Select(t => Vocabulary[t]).ToArray();
    }

    private SparseVector ExpandedQuery(int number)
    {
        var random = SplitMix64.For(Spec.Seed, long.MinValue + number);
        var terms = DistinctTerms(ref random, random.Between(30, 80));
        var weights = new float[terms.Length];
        for (var i = 0; i < terms.Length; i++)
        {
            weights[i] = (float)Math.Clamp(Importance(terms[i]) * Math.Exp(0.3 + (0.6 * random.NextGaussian())), 0.01, 3.5);
        }

        return ToVector(terms, weights);
    }

    /// <summary>
    /// A term's typical weight relative to the rarest: SPLADE's FLOPS regulariser pushes frequent terms' weights down in
    /// documents and queries alike, so weight scales grow with rarity (log of rank, from 0.1 for the commonest to 1).
    /// </summary>
    private double Importance(int rank) => 0.1 + (0.9 * Math.Log(1 + (rank / Spec.ZipfOffset)) / Math.Log(1 + (Spec.VocabularySize / Spec.ZipfOffset)));

    private int[] DistinctTerms(ref SplitMix64 random, int count)
    {
        // A bitmap of the vocabulary (3.8 KB for BERT's) rejects repeats cheaper than a hash set, and reading it back
        // word by word yields the terms already sorted.
        var words = (_zipf.Size + 63) / 64;
        Span<ulong> seen = words <= 1024 ? stackalloc ulong[words] : new ulong[words];
        for (var drawn = 0; drawn < count;)
        {
            var term = _zipf.Sample(ref random);
            ref var word = ref seen[term >> 6];
            var bit = 1UL << (term & 63);
            drawn += (word & bit) == 0 ? 1 : 0;
            word |= bit;
        }

        var terms = new int[count];
        var n = 0;
        for (var w = 0; w < words; w++)
        {
            for (var bits = seen[w]; bits != 0; bits &= bits - 1)
            {
                terms[n++] = (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
            }
        }

        return terms;
    }

    private SparseVector ToVector(int[] terms, float[] weights) => new(terms.Select(t => Vocabulary[t]).ToArray(), weights);
}
