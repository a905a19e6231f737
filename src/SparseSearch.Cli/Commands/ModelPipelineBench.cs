using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SparseSearch.Encoding.Models;
using SparseSearch.Evaluation.Beir;

namespace SparseSearch.Cli.Commands;

/// <summary>
/// <c>sparse models bench --model DIR --texts CORPUS</c>: an exported model's encode throughput stage by stage
/// (<see cref="EncoderThroughput"/>) on real texts, on the CPU or a GPU, and where PyTorch is installed, PyTorch eager on
/// the same checkpoint, texts, truncation and batch size (models/gpu/torch_bench.py), with the ratios: one JSON object.
/// </summary>
internal static class ModelPipelineBench
{
    /// <summary>A siamese query's length for the latency figure: about 32 tokens, special tokens included.</summary>
    private const int QueryTokens = 32;

    public static JsonObject Run(string modelDirectory, string texts, string device, bool tf32, int batchSize, int inFlight, int docs, string? pytorchCheckpoint,
        string? profilePrefix, int? padMultiple, ILogger logger)
    {
        var manifest = SparseModelManifest.Load(modelDirectory);
        var corpus = new BeirCorpus(BeirDataset.FindCorpus(texts)).Read().Take(docs).Select(d => d.FlatText).ToArray();
        if (corpus.Length == 0)
        {
            throw new Core.InvalidCorpusException($"{texts} holds no documents");
        }

        using var encoder = new OnnxSparseEncoder(manifest, device, batchSize, tf32: tf32, padToMultiple: padMultiple);
        // Sampled from the encoder's first run to its last timed one (the profiled and PyTorch runs come after).
        using var memory = OnnxSessionFactory.IsGpu(device) ? new GpuMemorySampler(OnnxSessionFactory.GpuIds(device)) : null;
        logger.LogInformation("Timing {Model} on {Device}: {Documents} texts, batches of {Batch}, {InFlight} in flight", modelDirectory, device, corpus.Length, batchSize, inFlight);
        var figures = EncoderThroughput.Measure(encoder, corpus, batchSize, inFlight);
        var result = JsonSerializer.SerializeToNode(figures, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!.AsObject();
        result["model"] = modelDirectory;
        result["device"] = device;
        result["max_length"] = manifest.MaxLength;
        result["pad_to_multiple"] = encoder.PadToMultiple;
        var queries = EncoderThroughput.MeasureQueries(encoder, corpus, QueryTokens, Math.Min(500, corpus.Length));
        result["query_latency"] = JsonSerializer.SerializeToNode(queries, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
        if (memory is not null)
        {
            // Device-wide, every process included, sampled every 100 ms: as nvidia-smi would show it.
            result["peak_gpu_memory_mib"] = new JsonObject(memory.PeakMiB.Select(p => KeyValuePair.Create($"cuda:{p.Key}", (JsonNode?)(p.Value is { } mib ? Math.Round(mib) : null))));
        }
        if (profilePrefix is not null)
        {
            // Apart from the timed runs: the profiler's own cost would colour them.
            using var profiled = new OnnxSparseEncoder(manifest, device, batchSize, tf32: tf32, profilePrefix: profilePrefix, padToMultiple: padMultiple);
            var ids = corpus.Take(batchSize * 12).Select(t => profiled.Tokenizer.Encode(t)).OrderByDescending(t => t.Length).Chunk(batchSize).ToArray();
            foreach (var batch in ids)
            {
                profiled.RunModelOnly(batch);
            }

            result["ort_profile"] = profiled.EndProfiling();
        }

        if (pytorchCheckpoint is not null && PyTorch(pytorchCheckpoint, texts, manifest.MaxLength, batchSize, corpus.Length, logger) is { } torch)
        {
            result["pytorch"] = torch;
            if (torch["torch_fp16_docs_per_s"]?.GetValue<double>() is { } fp16 and > 0)
            {
                result["encode_vs_pytorch_fp16"] = figures.EncodeDocsPerSecond / fp16;
                result["model_in_flight_vs_pytorch_fp16"] = figures.ModelInFlightDocsPerSecond / fp16;
            }
        }

        return result;
    }

    /// <summary>PyTorch eager on the same texts, or null (logged) where python3, torch or a GPU is missing.</summary>
    private static JsonObject? PyTorch(string checkpoint, string texts, int maxLength, int batchSize, int docs, ILogger logger)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "models", "gpu", "torch_bench.py");
        script = File.Exists(script) ? script : Path.Combine("models", "gpu", "torch_bench.py");
        var corpusFile = BeirDataset.FindCorpus(texts);
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, "--checkpoint", checkpoint, "--texts", corpusFile, "--max-length", maxLength.ToString(), "--batch-size", batchSize.ToString(), "--docs", docs.ToString() })
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                logger.LogWarning("PyTorch baseline failed (exit {Code}): {Error}", process.ExitCode, stderr.Result.Trim().Split('\n').LastOrDefault());
                return null;
            }

            return JsonNode.Parse(stdout.Result.Trim().Split('\n').Last())?.AsObject();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            logger.LogWarning("PyTorch baseline skipped: python3 not found ({Error})", e.Message);
            return null;
        }
    }
}
