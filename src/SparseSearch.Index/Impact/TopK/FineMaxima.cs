namespace SparseSearch.Index.Impact.TopK;

/// <summary>
/// A term's quantized maxima over fine blocks, dense (one byte per block) when the term is in many blocks, sparse
/// (block numbers and their maxima) when it is rare: a rare term's dense array would be mostly zeros, and the sparse
/// form is also faster to add up.
/// </summary>
internal sealed class FineMaxima
{
    /// <summary>Sparse costs 5 bytes per non-empty block against 1 per block: worth it below one block in five.</summary>
    private const int SparseBytesPerEntry = 5;

    private FineMaxima(byte[]? dense, int[] sparseBlocks, byte[] sparseMaxima)
    {
        Dense = dense;
        SparseBlocks = sparseBlocks;
        SparseMaxima = sparseMaxima;
    }

    public static FineMaxima Empty { get; } = new(null, [], []);

    /// <summary>One byte per fine block, or null when the maxima are sparse.</summary>
    public byte[]? Dense { get; }

    /// <summary>The non-empty fine blocks in increasing order (empty when <see cref="Dense"/> is set).</summary>
    public int[] SparseBlocks { get; }

    public byte[] SparseMaxima { get; }

    public long Bytes => Dense?.Length ?? (SparseBlocks.Length * (long)SparseBytesPerEntry);

    public static FineMaxima From(byte[] dense, int nonEmpty)
    {
        if ((long)nonEmpty * SparseBytesPerEntry >= dense.Length)
        {
            return new FineMaxima(dense, [], []);
        }

        var blocks = new int[nonEmpty];
        var maxima = new byte[nonEmpty];
        var n = 0;
        for (var f = 0; f < dense.Length; f++)
        {
            if (dense[f] != 0)
            {
                blocks[n] = f;
                maxima[n++] = dense[f];
            }
        }

        return new FineMaxima(null, blocks, maxima);
    }
}
