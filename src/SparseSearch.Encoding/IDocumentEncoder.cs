using SparseSearch.Core;

namespace SparseSearch.Encoding;

/// <summary>Encodes a corpus document into float term weights (quantized later by the index writer).</summary>
public interface IDocumentEncoder
{
    SparseVector Encode(CorpusDocument document);
}

/// <summary>Encodes query text into float term weights.</summary>
public interface IQueryEncoder
{
    SparseVector Encode(string query);
}

/// <summary>The collection statistics an inference-free query encoder may weight terms by.</summary>
public interface ITermStatistics
{
    /// <summary>Documents in the index (Lucene's maxDoc, as BM25's idf uses).</summary>
    long DocumentCount { get; }

    long DocFreq(string term);
}

/// <summary>An encoder that is faster on many documents at once (a model run batches them).</summary>
public interface IBatchDocumentEncoder : IDocumentEncoder
{
    IReadOnlyList<SparseVector> Encode(IReadOnlyList<CorpusDocument> documents);

    /// <summary>
    /// The host-side work that can run ahead of <see cref="Encode(IReadOnlyList{CorpusDocument}, object?)"/> on other
    /// threads (a model's tokenizing), or null where there is none.
    /// </summary>
    object? Prepare(IReadOnlyList<CorpusDocument> documents) => null;

    /// <summary>Encodes documents whose <see cref="Prepare"/> result is <paramref name="prepared"/>.</summary>
    IReadOnlyList<SparseVector> Encode(IReadOnlyList<CorpusDocument> documents, object? prepared) => Encode(documents);
}
