using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SparseSearch.Encoding;
using SparseSearch.Encoding.Models;
using SparseSearch.Evaluation.Beir;

namespace SparseSearch.Cli.Commands;

/// <summary>
/// <c>sparse encode</c>: documents through a model into Anserini's JsonVectorCollection (float weights, not quantized),
/// so encoding can run on one machine and <c>sparse index --vectors</c> on another. With --text, encodes one text
/// and prints its vector.
/// </summary>
internal static class EncodeCommand
{
    /// <summary>Encoded chunks waiting for the writer at most.</summary>
    private const int EncodeAhead = 3;

    /// <summary>Tokenized chunks waiting for the model at most.</summary>
    private const int TokenizeAhead = 2;

    public static Command Create()
    {
        var dataset = CliOptions.Dataset(required: false);
        var model = CliOptions.Model();
        model.Required = true;
        var device = CliOptions.Device();
        var tf32 = CliOptions.Tf32();
        var output = new Option<string?>("--out") { Description = "JsonVectorCollection file to write (.jsonl or .jsonl.gz)" };
        var text = new Option<string?>("--text") { Description = "encode this one text and print its vector as JSON instead" };
        var batchSize = CliOptions.ModelBatchSize();
        var dataDir = CliOptions.DataDir();
        var beirUrl = CliOptions.BeirUrl();
        var command = new Command("encode", "Encode documents with a model into a JsonVectorCollection file (for sparse index --vectors)")
        {
            dataset, model, device, tf32, output, text, batchSize, dataDir, beirUrl,
        };
        command.SetAction((parse, cancellation) => CommandRunner.Run(parse.InvocationConfiguration.Error, () =>
        {
            using var logging = CliLogging.Create(parse.GetValue(Program.LogFormatOption));
            var logger = logging.CreateLogger("encode");
            var manifest = SparseModelManifest.Load(parse.GetValue(model)!);
            using var encoder = new OnnxSparseEncoder(manifest, parse.GetValue(device)!, parse.GetValue(batchSize), tf32: parse.GetValue(tf32));
            if (parse.GetValue(text) is { } one)
            {
                var weights = encoder.Encode(one).Weights.OrderByDescending(w => w.Value).ToDictionary(w => w.Key, w => w.Value);
                parse.InvocationConfiguration.Output.WriteLine(System.Text.Json.JsonSerializer.Serialize(weights));
                return Task.FromResult(0);
            }

            var target = parse.GetValue(output) ?? throw new Core.InvalidSettingException("pass --out FILE.jsonl[.gz] (or --text TEXT)");
            var directory = new BeirDatasetLocator(parse.GetValue(dataDir)!, parse.GetValue(beirUrl)!).Resolve(parse.GetValue(dataset)!, null, cancellation);
            var corpus = new BeirCorpus(BeirDataset.FindCorpus(directory));
            var progress = new ProgressLog(logger, "docs");
            var clock = Stopwatch.StartNew();
            using var writer = new JsonVectorWriter(target);
            // Chunks are encoded ahead of the writer (a bounded pipeline): writing a chunk's JSON no longer leaves the
            // model idle, and memory stays at a few chunks whatever the corpus.
            // Large chunks: each ends in a barrier (its last batches run with fewer beside them) and texts are bucketed
            // by length within a chunk, so bigger ones keep a GPU busier and pad less.
            var chunkSize = Math.Max(1024, 32 * parse.GetValue(batchSize));
            // Three stages: chunks are read and tokenized ahead on their own thread (every core), run through the model
            // (on a GPU two chunks at once, so one's last batches overlap the next one's first), and formatted as JSON
            // where they were encoded, so the writing thread only appends bytes.
            var tokenized = Index.Pipeline.Prefetch(corpus.Read(cancellation).Chunk(chunkSize)
                .Select(chunk => (chunk, tokens: encoder.Tokenize(chunk.Select(d => d.FlatText).ToArray()))), TokenizeAhead, cancellation);
            var encoded = Index.Pipeline.Prefetch(Index.Pipeline.MapOrdered(tokenized, item =>
            {
                var vectors = encoder.Encode(item.tokens);
                return (lines: JsonVectorWriter.Serialize(item.chunk.Select((d, i) => (d.Id, d.FlatText, (IEnumerable<KeyValuePair<string, float>>)vectors[i].Weights))),
                    count: item.chunk.Length);
            }, encoder.ConcurrentChunks, cancellation), EncodeAhead, cancellation);
            foreach (var (lines, count) in encoded)
            {
                writer.WriteLines(lines, count);
                progress.Report(new Core.JobProgress("encode", writer.Count, corpus.KnownCount, clock.Elapsed));
            }

            writer.Complete();
            logger.LogInformation("Encoded {Documents} documents with {Model} into {Output} in {Seconds:F1} s", writer.Count, manifest.Name, target, clock.Elapsed.TotalSeconds);
            return Task.FromResult(0);
        }));
        return command;
    }
}
