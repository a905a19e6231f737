using System.Text;
using System.Text.Json;

namespace SparseSearch.Bench.Synthetic;

/// <summary>
/// A BEIR-layout text corpus of pseudo-words drawn from a Zipf law over a large vocabulary, for benchmarks that need a
/// BM25 index of a given size (the shared collections stop at a few thousand documents). Pseudo-words are syllable
/// strings, so Lucene's English analysis keeps them distinct; a million documents of 80 words see several hundred
/// thousand distinct terms, the vocabulary size at which per-write work proportional to it would show.
/// </summary>
public static class SyntheticTextCorpus
{
    private static readonly string[] Syllables =
    [
        "ka", "lo", "mi", "nu", "pe", "ra", "si", "to", "vu", "za", "be", "do", "fi", "gu", "ho", "ja", "ke", "li", "mo", "ni",
    ];

    /// <summary>Writes <c>corpus.jsonl</c> under <paramref name="directory"/> unless a complete one is there; returns its path.</summary>
    public static string Write(string directory, long documents, int wordsPerDocument = 80, int vocabulary = 2_000_000, int seed = 7)
    {
        var path = Path.Combine(directory, "corpus.jsonl");
        var done = path + ".complete";
        if (File.Exists(done) && File.ReadAllText(done) == $"{documents} {wordsPerDocument} {vocabulary} {seed}")
        {
            return path;
        }

        Directory.CreateDirectory(directory);
        var sampler = new ZipfSampler(vocabulary, 1.0, 2.7);
        var random = SplitMix64.For(seed, 0);
        var text = new StringBuilder();
        using (var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 20))
        {
            for (long d = 0; d < documents; d++)
            {
                text.Clear();
                AppendWords(text, sampler, ref random, wordsPerDocument);
                writer.Write("{\"_id\":\"t");
                writer.Write(d);
                writer.Write("\",\"title\":\"\",\"text\":");
                writer.Write(JsonSerializer.Serialize(text.ToString()));
                writer.Write("}\n");
            }
        }

        File.WriteAllText(done, $"{documents} {wordsPerDocument} {vocabulary} {seed}");
        return path;
    }

    /// <summary>The vocabulary of texts written during a benchmark (built once: an alias table per text would dominate).</summary>
    private static readonly ZipfSampler WriteVocabulary = new(50_000, 1.0, 2.7);

    /// <summary>A text of <paramref name="words"/> pseudo-words, for documents written during a benchmark.</summary>
    public static string Text(int words, int seed)
    {
        var random = SplitMix64.For(seed, 1);
        var text = new StringBuilder();
        AppendWords(text, WriteVocabulary, ref random, words);
        return text.ToString();
    }

    private static void AppendWords(StringBuilder text, ZipfSampler sampler, ref SplitMix64 random, int words)
    {
        for (var w = 0; w < words; w++)
        {
            if (w > 0)
            {
                text.Append(' ');
            }

            AppendWord(text, sampler.Sample(ref random));
        }
    }

    /// <summary>Word of rank r: r written in base 20, one syllable per digit ("ka" for 0), at least two syllables.</summary>
    private static void AppendWord(StringBuilder text, int rank)
    {
        var value = rank + 20;
        Span<int> digits = stackalloc int[8];
        var count = 0;
        while (value > 0)
        {
            digits[count++] = value % 20;
            value /= 20;
        }

        for (var i = count - 1; i >= 0; i--)
        {
            text.Append(Syllables[digits[i]]);
        }
    }
}
