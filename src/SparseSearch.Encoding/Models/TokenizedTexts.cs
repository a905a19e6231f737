namespace SparseSearch.Encoding.Models;

/// <summary>
/// Texts already tokenized and ordered into length-sorted batches (<see cref="OnnxSparseEncoder.Tokenize"/>): the host's
/// share of an encode, which a job runs a chunk ahead so the model never waits for it.
/// </summary>
public sealed class TokenizedTexts
{
    internal TokenizedTexts(int[][] ids, int[][] batches)
    {
        Ids = ids;
        Batches = batches;
    }

    /// <summary>Each text's token ids, in the texts' order.</summary>
    internal int[][] Ids { get; }

    /// <summary>Indexes of texts per model run, longest texts first.</summary>
    internal int[][] Batches { get; }

    public int Count => Ids.Length;
}
