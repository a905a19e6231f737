namespace SparseSearch.Encoding.Analysis;

/// <summary>Turns text into the sequence of index terms it contributes (duplicates kept, in order).</summary>
public interface ITermAnalyzer
{
    /// <summary>Stable description of the analysis, recorded in the index manifest (e.g. <c>lucene-english</c>).</summary>
    string Description { get; }

    /// <summary>Hash of the vocabulary the analysis depends on, or null when it has none.</summary>
    string? VocabularySha256 { get; }

    IReadOnlyList<string> Terms(string text);
}
