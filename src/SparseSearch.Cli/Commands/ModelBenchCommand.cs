using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Spectre.Console;

namespace SparseSearch.Cli.Commands;

/// <summary>
/// <c>sparse models bench</c>: CPU encode throughput of a distilbert-size SPLADE graph (6 layers, 768 hidden, 30,522
/// vocabulary; models/bench, made by models/testing/make_test_models.py --bench) with ONNX Runtime as the only engine:
/// pooling fused in the graph vs raw logits pooled on the host, at each --tokens length. The graphs carry only their
/// structure; their large weights live in weights.bin beside them, which this command fills with seeded random values
/// (N(0, 0.02), BERT's initialisation) when it is missing — throughput does not depend on the values.
/// </summary>
internal static partial class ModelBenchCommand
{
    public static Command Create()
    {
        var pooled = new Option<string>("--pooled") { Description = "graph with pooling fused", DefaultValueFactory = _ => "models/bench/bench-pooled.onnx" };
        var raw = new Option<string>("--raw") { Description = "graph returning MLM logits", DefaultValueFactory = _ => "models/bench/bench-raw.onnx" };
        var tokens = new Option<int[]>("--tokens") { Description = "sequence lengths to measure", DefaultValueFactory = _ => [128, 256], AllowMultipleArgumentsPerToken = true };
        var docs = new Option<int>("--docs") { Description = "documents encoded per measurement (after one warm-up batch)", DefaultValueFactory = _ => 32 };
        var batch = new Option<int>("--batch-size") { Description = "documents per model run", DefaultValueFactory = _ => 8 };
        var output = CliOptions.Output();
        var model = new Option<string?>("--model")
        {
            Description = "time this exported model (models/<name>) stage by stage on --texts instead: tokenize, model alone, model with batches in flight, whole encode; one JSON object",
        };
        var texts = new Option<string?>("--texts") { Description = "with --model: a BEIR corpus (directory or corpus.jsonl[.gz]) whose first --docs texts are encoded" };
        var device = CliOptions.Device();
        var tf32 = CliOptions.Tf32();
        var inFlight = new Option<int>("--in-flight")
        {
            Description = "with --model: batches in flight for the 'model in flight' figure (the encoder's own on a GPU)",
            DefaultValueFactory = _ => Encoding.Models.OnnxSparseEncoder.ConcurrentGpuBatches,
        };
        var pytorch = new Option<string?>("--pytorch-checkpoint")
        {
            Description = "with --model: the Hugging Face checkpoint it was exported from; PyTorch eager is timed on it (models/gpu/torch_bench.py, needs python3, torch and a GPU) and the ratios reported",
        };
        var profile = new Option<string?>("--ort-profile")
        {
            Description = "with --model: also run 12 batches under ONNX Runtime's profiler, writing its per-node JSON to files starting with this prefix",
        };
        var padMultiple = new Option<int?>("--pad-to-multiple")
        {
            Description = $"with --model: pad each batch to a multiple of this many tokens (default {Encoding.Models.OnnxSparseEncoder.DefaultGpuPadMultiple} on a GPU, 1 on the CPU; results do not change)",
        };
        var command = new Command("bench", "CPU encode throughput (docs/s) of a distilbert-size SPLADE graph, pooled in the graph vs on the host; or, with --model, an exported model's stages on CPU or GPU")
        {
            pooled, raw, tokens, docs, batch, output, model, texts, device, tf32, inFlight, pytorch, profile, padMultiple,
        };
        command.SetAction((parse, cancellation) => CommandRunner.Run(parse.InvocationConfiguration.Error, () =>
        {
            using var logging = CliLogging.Create(parse.GetValue(Program.LogFormatOption));
            var logger = logging.CreateLogger("models");
            if (parse.GetValue(model) is { } modelDirectory)
            {
                var corpus = parse.GetValue(texts) ?? throw new Core.InvalidSettingException("--model needs --texts CORPUS, the texts to encode");
                if (parse.GetValue(batch) < 1 || parse.GetValue(docs) < 1 || parse.GetValue(inFlight) < 1 || parse.GetValue(padMultiple) < 1)
                {
                    throw new Core.InvalidSettingException("--batch-size, --docs, --in-flight and --pad-to-multiple must be at least 1");
                }

                var figures = ModelPipelineBench.Run(modelDirectory, corpus, parse.GetValue(device)!, parse.GetValue(tf32), parse.GetValue(batch), parse.GetValue(inFlight),
                    parse.GetValue(docs), parse.GetValue(pytorch), parse.GetValue(profile), parse.GetValue(padMultiple), logger);
                parse.InvocationConfiguration.Output.WriteLine(figures.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return Task.FromResult(0);
            }

            var results = new List<object>();
            var table = new Table().AddColumns("graph", "tokens", "docs", "batch", "seconds", "docs/s");
            foreach (var (name, path) in new[] { ("pooled-in-graph", parse.GetValue(pooled)!), ("host-pooling", parse.GetValue(raw)!) })
            {
                EnsureWeights(path, logger);
                using var session = Encoding.Models.OnnxSessionFactory.Create(path, "cpu");
                foreach (var length in parse.GetValue(tokens)!)
                {
                    var (seconds, count) = Measure(session, name == "host-pooling", length, parse.GetValue(docs), parse.GetValue(batch), cancellation);
                    results.Add(new { graph = name, tokens = length, docs = count, batch_size = parse.GetValue(batch), seconds, docs_per_second = count / seconds, cores = Environment.ProcessorCount });
                    table.AddRow(name, length.ToString(), count.ToString(), parse.GetValue(batch).ToString(), seconds.ToString("F2"), (count / seconds).ToString("F1"));
                    logger.LogInformation("{Graph} at {Tokens} tokens: {Rate:F1} docs/s", name, length, count / seconds);
                }
            }

            var stdout = parse.InvocationConfiguration.Output;
            if (parse.GetValue(output) == OutputFormat.Json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(results));
            }
            else
            {
                SearchCommand.Console(stdout).Write(table);
            }

            return Task.FromResult(0);
        }));
        return command;
    }

    private static (double Seconds, int Docs) Measure(InferenceSession session, bool hostPooling, int length, int docs, int batchSize, CancellationToken cancellation)
    {
        var random = new Random(7);
        void RunBatch(int rows)
        {
            var ids = new long[rows * length];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = i % length == 0 ? 101 : i % length == length - 1 ? 102 : random.Next(1000, 30000);
            }

            int[] shape = [rows, length];
            var mask = Enumerable.Repeat(1L, ids.Length).ToArray();
            var inputs = new[]
            {
                NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, shape)),
                NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(mask, shape)),
                NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(new long[ids.Length], shape)),
            };
            using var results = session.Run(inputs);
            var values = results[0].AsTensor<float>() as DenseTensor<float>;
            if (hostPooling)
            {
                // The host's share of the raw variant: the encoder's own pooling, per text.
                var span = values!.Buffer.Span;
                var width = span.Length / rows / length;
                var pooled = new float[width];
                for (var r = 0; r < rows; r++)
                {
                    Encoding.Models.SpladePooling.Pool(span.Slice(r * length * width, length * width), width, length, doubleLog: false, pooled);
                }
            }
        }

        RunBatch(Math.Min(batchSize, docs));
        var clock = Stopwatch.StartNew();
        var done = 0;
        while (done < docs)
        {
            cancellation.ThrowIfCancellationRequested();
            var rows = Math.Min(batchSize, docs - done);
            RunBatch(rows);
            done += rows;
        }

        return (clock.Elapsed.TotalSeconds, done);
    }

    /// <summary>Writes weights.bin beside the graph when absent: as many bytes as the graph's external tensors span.</summary>
    private static void EnsureWeights(string graph, ILogger logger)
    {
        if (!File.Exists(graph))
        {
            throw new Core.MissingInputException($"bench graph not found: {graph} (models/testing/make_test_models.py OUT --bench writes it)");
        }

        var text = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(graph));
        var offsets = Offset().Matches(text).Select(m => long.Parse(m.Groups[1].Value)).ToArray();
        var lengths = Length().Matches(text).Select(m => long.Parse(m.Groups[1].Value)).ToArray();
        var size = offsets.Zip(lengths).Select(p => p.First + p.Second).DefaultIfEmpty(0).Max();
        var weights = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(graph))!, "weights.bin");
        if (size == 0 || (File.Exists(weights) && new FileInfo(weights).Length >= size))
        {
            return;
        }

        logger.LogInformation("Writing {Bytes} bytes of random weights to {Path}", size, weights);
        var random = new Random(11);
        using var stream = new FileStream(weights + ".tmp", FileMode.Create);
        var buffer = new byte[1 << 20];
        for (long written = 0; written < size; written += buffer.Length)
        {
            var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(buffer.AsSpan());
            for (var i = 0; i < floats.Length; i++)
            {
                floats[i] = (float)(0.02 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
            }

            stream.Write(buffer, 0, (int)Math.Min(buffer.Length, size - written));
        }

        stream.Close();
        File.Move(weights + ".tmp", weights, overwrite: true);
    }

    [GeneratedRegex(@"offset\x12.(\d+)")]
    private static partial Regex Offset();

    [GeneratedRegex(@"length\x12.(\d+)")]
    private static partial Regex Length();
}
