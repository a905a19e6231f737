using System.Diagnostics;

namespace SparseSearch.Encoding.Models;

/// <summary>Where an encode's time goes, in documents per second: each stage alone, then the whole pipeline.</summary>
/// <param name="TokenizeDocsPerSecond">Tokenizing alone, on every core.</param>
/// <param name="ModelOnlyDocsPerSecond">The graph alone on pre-tokenized, length-sorted batches, one in flight (inputs in, output back on the host, nothing decoded).</param>
/// <param name="ModelInFlightDocsPerSecond">The same with <paramref name="InFlight"/> batches in flight, as the encoder runs them on a GPU.</param>
/// <param name="EncodeDocsPerSecond">The encoder's own Encode: tokenize, run, pool and sparsify.</param>
public sealed record EncoderThroughputFigures(int Documents, int BatchSize, int InFlight, double MeanTokens, double TokenizeDocsPerSecond,
    double ModelOnlyDocsPerSecond, double ModelInFlightDocsPerSecond, double EncodeDocsPerSecond, double NonZerosPerDocument);

/// <summary>Latency of encoding one query at a time (a siamese model's query path), after a warm-up.</summary>
public sealed record QueryLatencyFigures(int Queries, double MeanTokens, double P50Ms, double P99Ms);

/// <summary>
/// Times an ONNX sparse encoder stage by stage on real texts (<c>sparse models bench --model</c>): which of
/// tokenizing, the model itself or the host's decoding limits an encode.
/// </summary>
public static class EncoderThroughput
{
    public static EncoderThroughputFigures Measure(OnnxSparseEncoder encoder, IReadOnlyList<string> texts, int batchSize, int inFlight)
    {
        // Warm: the tokenizer's first calls (JIT, caches) are not what a long encode sees.
        Parallel.For(0, Math.Min(256, texts.Count), i => encoder.Tokenizer.Encode(texts[i]));
        var clock = Stopwatch.StartNew();
        var ids = new int[texts.Count][];
        Parallel.For(0, texts.Count, i => ids[i] = encoder.Tokenizer.Encode(texts[i]));
        var tokenize = texts.Count / clock.Elapsed.TotalSeconds;

        var batches = ids.OrderByDescending(t => t.Length).Chunk(batchSize).ToArray();
        foreach (var warm in batches.Take(2))
        {
            encoder.RunModelOnly(warm);
        }

        clock.Restart();
        foreach (var batch in batches)
        {
            encoder.RunModelOnly(batch);
        }

        var modelOnly = texts.Count / clock.Elapsed.TotalSeconds;
        clock.Restart();
        Parallel.ForEach(batches, new ParallelOptions { MaxDegreeOfParallelism = inFlight }, encoder.RunModelOnly);
        var modelInFlight = texts.Count / clock.Elapsed.TotalSeconds;

        clock.Restart();
        var vectors = encoder.Encode(texts);
        var encode = texts.Count / clock.Elapsed.TotalSeconds;
        return new EncoderThroughputFigures(texts.Count, batchSize, inFlight, ids.Average(t => t.Length), tokenize, modelOnly, modelInFlight, encode,
            vectors.Average(v => v.Count));
    }

    /// <summary>
    /// Encodes queries of about <paramref name="tokens"/> tokens one at a time: the first words of each text, as many as
    /// reach that many tokens (special tokens included). Tokenizing, the model run and decoding are all timed.
    /// </summary>
    public static QueryLatencyFigures MeasureQueries(OnnxSparseEncoder encoder, IReadOnlyList<string> texts, int tokens, int count)
    {
        var queries = texts.Take(count).Select(text => Prefix(encoder.Tokenizer, text, tokens)).ToArray();
        foreach (var query in queries.Take(20))
        {
            encoder.Encode(query);
        }

        var samples = new double[queries.Length];
        for (var i = 0; i < queries.Length; i++)
        {
            var clock = Stopwatch.StartNew();
            encoder.Encode(queries[i]);
            samples[i] = clock.Elapsed.TotalMilliseconds;
        }

        Array.Sort(samples);
        double Percentile(double p) => samples[Math.Max(0, (int)Math.Ceiling(p * samples.Length) - 1)];
        return new QueryLatencyFigures(queries.Length, queries.Average(q => encoder.Tokenizer.Encode(q).Length), Percentile(0.5), Percentile(0.99));
    }

    private static string Prefix(ModelTokenizer tokenizer, string text, int tokens)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var n = 1; n <= words.Length; n++)
        {
            var prefix = string.Join(' ', words.Take(n));
            if (tokenizer.Encode(prefix).Length >= tokens)
            {
                return prefix;
            }
        }

        return text;
    }
}
