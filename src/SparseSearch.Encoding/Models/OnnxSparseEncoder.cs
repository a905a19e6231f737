using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SparseSearch.Core;

namespace SparseSearch.Encoding.Models;

/// <summary>
/// Runs an exported sparse encoder with ONNX Runtime: tokenizes, batches, feeds the graph on the CPU or GPUs, and has
/// <see cref="ModelOutputDecoder"/> turn each run's output into sparse vectors. Texts are batched by token length (longest first) so padding stays small. On several GPUs (<c>cuda:0,1</c>) each
/// has its own session and batches go to the least busy one. Thread-safe: ONNX Runtime sessions accept concurrent runs.
/// </summary>
public sealed class OnnxSparseEncoder : IDisposable
{
    public const int DefaultBatchSize = 32;

    /// <summary>
    /// Batches in flight at once on a GPU, each on a lane (thread) of its own: one on the device, the other's host work
    /// beside it. Measured on an H200 (fp16, batch 128): 2 in flight 4,777 docs/s model alone, 1 4,730, and 4 slower
    /// than 1 (runs share one stream).
    /// </summary>
    public const int ConcurrentGpuBatches = 2;

    /// <summary>Batch lengths on a GPU are rounded up to a multiple of this many tokens (see <see cref="PaddedLength"/>).</summary>
    public const int DefaultGpuPadMultiple = 8;

    /// <summary>
    /// Chunks an encoding job should run on the model at once: one on the CPU; on GPUs, two per GPU, so the next chunk's
    /// batches start while this one's last ones finish (its tokenizing runs a stage earlier: <see cref="Tokenize"/>).
    /// </summary>
    public int ConcurrentChunks => _onGpu ? 2 * _sessions.Count : 1;

    private readonly bool _onGpu;

    private readonly SparseModelManifest _manifest;
    private readonly DevicePool<InferenceSession> _sessions;
    private readonly string[] _outputNames;
    private readonly ModelOutputDecoder _decoder;
    private readonly int _batchSize;

    /// <param name="tokenizer">The model's tokenizer when the caller already has one (it reads and hashes the vocabulary).</param>
    /// <param name="tf32">On CUDA, allow TF32 for float32 graphs (see <see cref="OnnxSessionFactory.Create"/>).</param>
    /// <param name="profilePrefix">Profile every run with ONNX Runtime's profiler into files starting with this (<see cref="EndProfiling"/>).</param>
    /// <param name="padToMultiple">Pad each batch to a multiple of this many tokens (null: <see cref="DefaultGpuPadMultiple"/> on a GPU, 1 on the CPU).</param>
    public OnnxSparseEncoder(SparseModelManifest manifest, string device = "cpu", int batchSize = DefaultBatchSize, ModelTokenizer? tokenizer = null, bool tf32 = true,
        string? profilePrefix = null, int? padToMultiple = null)
    {
        _manifest = manifest;
        Tokenizer = tokenizer ?? new ModelTokenizer(manifest.VocabPath, manifest.MaxLength);
        _decoder = new ModelOutputDecoder(manifest, Tokenizer);
        _batchSize = Math.Max(1, batchSize);
        _onGpu = OnnxSessionFactory.IsGpu(device);
        _sessions = new DevicePool<InferenceSession>(OnnxSessionFactory.CreateAll(manifest.OnnxPath, device, tf32, profilePrefix),
            lanesPerRunner: _onGpu ? ConcurrentGpuBatches : 0, name: "gpu");
        PadToMultiple = Math.Max(1, padToMultiple ?? (_onGpu ? DefaultGpuPadMultiple : 1));
        _outputNames = manifest.OutputPositionsName is { } positions ? [positions, manifest.OutputName] : [manifest.OutputName];
        foreach (var (name, field) in _outputNames.Zip(manifest.OutputPositionsName is null ? ["output.name"] : new[] { "output.positions", "output.name" }))
        {
            if (!_sessions.First.OutputMetadata.ContainsKey(name))
            {
                // The message first: it lists the outputs the session has, which a disposed session cannot.
                var message = $"{manifest.OnnxPath} has no output '{name}' (sparse-model.json {field}); it has {string.Join(", ", _sessions.First.OutputMetadata.Keys)}";
                _sessions.Dispose();
                throw new InvalidSettingException(message);
            }
        }

        if (_onGpu)
        {
            try
            {
                WarmUp();
            }
            catch (AggregateException e) when (e.InnerException is OnnxRuntimeException failure)
            {
                _sessions.Dispose();
                throw new InvalidSettingException(
                    $"--device {device}: a batch of {_batchSize} × {_manifest.MaxLength} tokens failed on the GPU ({OnnxSessionFactory.OneLine(failure.Message)}); a smaller --model-batch-size needs less memory");
            }
        }
    }

    public ModelTokenizer Tokenizer { get; }

    /// <summary>Batches are padded to a multiple of this many tokens.</summary>
    public int PadToMultiple { get; }

    /// <summary>Ends a profiled encoder's profiles (one per device) and returns the first device's file.</summary>
    public string EndProfiling() => _sessions.All.Select(s => s.EndProfiling()).ToArray()[0];

    public IReadOnlyList<SparseVector> Encode(IReadOnlyList<string> texts) => Encode(Tokenize(texts));

    /// <summary>Tokenizes the texts on every core and orders them into batches by length, longest first (little padding).</summary>
    public TokenizedTexts Tokenize(IReadOnlyList<string> texts)
    {
        var ids = new int[texts.Count][];
        Parallel.For(0, texts.Count, i => ids[i] = Tokenizer.Encode(texts[i]));
        var order = Enumerable.Range(0, texts.Count).OrderByDescending(i => ids[i].Length).ThenBy(i => i).ToArray();
        return new TokenizedTexts(ids, order.Chunk(_batchSize).ToArray());
    }

    /// <summary>Runs the model on tokenized texts; the vectors come back in the texts' order.</summary>
    public IReadOnlyList<SparseVector> Encode(TokenizedTexts texts)
    {
        var vectors = new SparseVector[texts.Count];
        // On a GPU, batches overlap: while one runs on the device the host fills the next one's inputs and decodes the
        // last one's output (one at a time left the GPU idle for most of each batch). On the CPU, ONNX Runtime already
        // uses every core for one batch.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _onGpu ? ConcurrentGpuBatches * _sessions.Count : 1 };
        Parallel.ForEach(texts.Batches, parallel, batch =>
        {
            var encoded = Run(batch.Select(i => texts.Ids[i]).ToArray());
            for (var j = 0; j < batch.Length; j++)
            {
                vectors[batch[j]] = encoded[j];
            }
        });

        return vectors;
    }

    public SparseVector Encode(string text) => Encode([text])[0];

    /// <summary>
    /// The model alone on one pre-tokenized batch: inputs built, the graph run, its output back on the host, nothing
    /// decoded (what <c>sparse models bench</c> times as "model only").
    /// </summary>
    public void RunModelOnly(int[][] batch)
    {
        using var results = RunSession(batch);
    }

    private SparseVector[] Run(int[][] batch)
    {
        using var results = RunSession(batch);
        return _decoder.Decode(results, batch, PaddedLength(batch));
    }

    /// <summary>
    /// Runs one batch of the largest shape (batch size × maximum length) on every GPU lane before the first real one:
    /// each lane's provider state is made and each GPU's memory arena reaches its full size before a job's clock or a
    /// server's first query, instead of during them.
    /// </summary>
    private void WarmUp()
    {
        var longest = Enumerable.Repeat(Enumerable.Repeat(Tokenizer.Pad, _manifest.MaxLength).ToArray(), _batchSize).ToArray();
        var inputs = Inputs(longest);
        _sessions.OnEveryLane(session =>
        {
            using var results = session.Run(inputs, _outputNames);
        });
    }

    private IDisposableReadOnlyCollection<DisposableNamedOnnxValue> RunSession(int[][] batch)
    {
        var inputs = Inputs(batch);
        return _sessions.Run(session => session.Run(inputs, _outputNames));
    }

    /// <summary>The graph's inputs for a batch: ids and mask padded to <see cref="PaddedLength"/>, token types where the graph has them.</summary>
    private List<NamedOnnxValue> Inputs(int[][] batch)
    {
        var rows = batch.Length;
        var length = PaddedLength(batch);
        var inputIds = new long[rows * length];
        var mask = new long[rows * length];
        for (var r = 0; r < rows; r++)
        {
            for (var p = 0; p < length; p++)
            {
                var real = p < batch[r].Length;
                inputIds[(r * length) + p] = real ? batch[r][p] : Tokenizer.Pad;
                mask[(r * length) + p] = real ? 1 : 0;
            }
        }

        int[] shape = [rows, length];
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor(_manifest.InputIdsName, new DenseTensor<long>(inputIds, shape)),
            NamedOnnxValue.CreateFromTensor(_manifest.AttentionMaskName, new DenseTensor<long>(mask, shape)),
        };
        if (_manifest.TokenTypeIdsName is { } types && _sessions.First.InputMetadata.ContainsKey(types))
        {
            inputs.Add(NamedOnnxValue.CreateFromTensor(types, new DenseTensor<long>(new long[rows * length], shape)));
        }

        return inputs;
    }

    /// <summary>
    /// The batch's longest text rounded up to <see cref="PadToMultiple"/> tokens (padding is masked: results do not
    /// change). On a GPU, lengths in multiples of 8 keep float16 matrix products on tensor-core-friendly shapes and cut
    /// the distinct shapes a run meets, each of which costs ONNX Runtime a first-time set-up.
    /// </summary>
    private int PaddedLength(int[][] batch)
    {
        var longest = batch.Max(ids => ids.Length);
        return (longest + PadToMultiple - 1) / PadToMultiple * PadToMultiple;
    }

    public void Dispose() => _sessions.Dispose();
}
