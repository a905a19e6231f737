using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SparseSearch.Core;

namespace SparseSearch.Encoding.Models;

/// <summary>
/// Turns a model run's outputs into sparse vectors, per family (<see cref="ModelOutputKind"/>): SPLADE pooled weights
/// as they are, or already sparsified in the graph; raw MLM logits max-pooled here; uniCOIL token impacts as each token
/// id's largest; CSR latents as their top k. Special tokens are dropped and the manifest's pruning applied.
/// </summary>
internal sealed class ModelOutputDecoder(SparseModelManifest manifest, ModelTokenizer tokenizer)
{
    private readonly bool[] _dropped = tokenizer.Tokens.Select(manifest.DropTokens.Contains).ToArray();

    /// <summary>One batch's outputs as sparse vectors, in the batch's order.</summary>
    /// <param name="batch">The batch's token ids (the real length of each text).</param>
    /// <param name="length">The padded length the batch ran at.</param>
    public SparseVector[] Decode(IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results, int[][] batch, int length)
    {
        var rows = batch.Length;
        if (manifest.OutputKind == ModelOutputKind.PooledSparse)
        {
            return PooledSparse(results, rows);
        }

        var output = results[0];
        // Float outputs are read in place; float16 ones are widened once, vectorised, into a pooled buffer (per-element
        // enumeration of the tensor cost more than the model on a GPU, and a fresh array per batch is a large-object
        // allocation each time).
        float[]? widened = null;
        try
        {
            ReadOnlySpan<float> values;
            if (output.ElementType == TensorElementType.Float16)
            {
                var halves = ((DenseTensor<Float16>)output.AsTensor<Float16>()).Buffer.Span;
                widened = System.Buffers.ArrayPool<float>.Shared.Rent(halves.Length);
                Widen(halves, widened);
                values = widened.AsSpan(0, halves.Length);
            }
            else
            {
                values = ((DenseTensor<float>)output.AsTensor<float>()).Buffer.Span;
            }

            var vectors = new SparseVector[rows];
            for (var r = 0; r < rows; r++)
            {
                vectors[r] = Prune(manifest.OutputKind switch
                {
                    ModelOutputKind.Pooled => Pooled(values, r, values.Length / rows),
                    ModelOutputKind.MlmLogits => PoolLogits(values, r, length, batch[r].Length),
                    ModelOutputKind.TokenImpacts => TokenImpacts(values, r, length, batch[r]),
                    _ => TopLatents(values, r, values.Length / rows),
                });
            }

            return vectors;
        }
        finally
        {
            if (widened is not null)
            {
                System.Buffers.ArrayPool<float>.Shared.Return(widened);
            }
        }
    }

    /// <summary>
    /// A graph that sparsified its pooled weights: flat positions (row × vocab + term, row-major) and weights of the
    /// non-zeros only.
    /// </summary>
    private SparseVector[] PooledSparse(IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results, int rows)
    {
        var positions = ((DenseTensor<long>)results.First(r => r.Name == manifest.OutputPositionsName).AsTensor<long>()).Buffer.Span;
        var output = results.First(r => r.Name == manifest.OutputName);
        // A few hundred weights per text: widening a float16 output is no longer worth a pooled buffer.
        ReadOnlySpan<float> weights = output.ElementType == TensorElementType.Float16
            ? Widen(((DenseTensor<Float16>)output.AsTensor<Float16>()).Buffer.Span)
            : ((DenseTensor<float>)output.AsTensor<float>()).Buffer.Span;
        if (positions.Length != weights.Length)
        {
            throw new InvalidSettingException($"{manifest.OnnxPath}: {positions.Length} positions but {weights.Length} weights; not a sparse pooled SPLADE graph");
        }

        var width = tokenizer.Tokens.Length;
        var rowWeights = new Dictionary<string, float>[rows];
        for (var r = 0; r < rows; r++)
        {
            rowWeights[r] = [];
        }

        for (var i = 0; i < positions.Length; i++)
        {
            var row = positions[i] / width;
            var term = (int)(positions[i] % width);
            if (positions[i] < 0 || row >= rows)
            {
                throw new InvalidSettingException($"{manifest.OnnxPath} outputs position {positions[i]} for {rows} texts of {width} terms ({manifest.VocabPath}): model and vocabulary do not belong together");
            }

            if (weights[i] > 0 && !_dropped[term])
            {
                rowWeights[row][tokenizer.Tokens[term]] = weights[i];
            }
        }

        return rowWeights.Select(Prune).ToArray();
    }

    private static float[] Widen(ReadOnlySpan<Float16> halves)
    {
        var floats = new float[halves.Length];
        Widen(halves, floats);
        return floats;
    }

    /// <summary>Float16 values as floats, vectorised.</summary>
    private static void Widen(ReadOnlySpan<Float16> halves, Span<float> into) =>
        System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(System.Runtime.InteropServices.MemoryMarshal.Cast<Float16, Half>(halves), into);

    private Dictionary<string, float> Pooled(ReadOnlySpan<float> values, int row, int width)
    {
        if (width != tokenizer.Tokens.Length)
        {
            throw new InvalidSettingException($"{manifest.OnnxPath} outputs {width} weights per text but {manifest.VocabPath} has {tokenizer.Tokens.Length} tokens: model and vocabulary do not belong together");
        }

        return Positive(values.Slice(row * width, width));
    }

    /// <summary>A row of per-term scores (one per vocabulary entry) as the weights of its positive, kept terms.</summary>
    private Dictionary<string, float> Positive(ReadOnlySpan<float> scores)
    {
        var weights = new Dictionary<string, float>();
        for (var v = 0; v < scores.Length; v++)
        {
            if (scores[v] > 0 && !_dropped[v])
            {
                weights[tokenizer.Tokens[v]] = scores[v];
            }
        }

        return weights;
    }

    private Dictionary<string, float> PoolLogits(ReadOnlySpan<float> values, int row, int length, int realLength)
    {
        var width = tokenizer.Tokens.Length;
        var pooled = new float[width];
        SpladePooling.Pool(values.Slice(row * length * width, length * width), width, realLength, manifest.DoubleLog, pooled);
        return Positive(pooled);
    }

    private Dictionary<string, float> TokenImpacts(ReadOnlySpan<float> values, int row, int length, int[] ids)
    {
        var weights = new Dictionary<string, float>();
        for (var p = 0; p < ids.Length; p++)
        {
            var w = values[(row * length) + p];
            if (w > 0 && !_dropped[ids[p]] && w > weights.GetValueOrDefault(tokenizer.Tokens[ids[p]]))
            {
                weights[tokenizer.Tokens[ids[p]]] = w;
            }
        }

        return weights;
    }

    /// <summary>The k largest positive latents (ties to the lower index), as terms c&lt;index&gt;.</summary>
    private Dictionary<string, float> TopLatents(ReadOnlySpan<float> values, int row, int width)
    {
        var latents = new List<(int Index, float Value)>();
        var rowValues = values.Slice(row * width, width);
        for (var i = 0; i < width; i++)
        {
            if (rowValues[i] > 0)
            {
                latents.Add((i, rowValues[i]));
            }
        }

        return latents.OrderByDescending(l => l.Value).ThenBy(l => l.Index).Take(manifest.TopK).ToDictionary(l => $"c{l.Index}", l => l.Value);
    }

    private SparseVector Prune(Dictionary<string, float> weights)
    {
        if (manifest.PruneRatio > 0 && weights.Count > 0)
        {
            var floor = weights.Values.Max() * manifest.PruneRatio;
            foreach (var term in weights.Where(w => w.Value < floor).Select(w => w.Key).ToArray())
            {
                weights.Remove(term);
            }
        }

        return new SparseVector(weights);
    }
}
