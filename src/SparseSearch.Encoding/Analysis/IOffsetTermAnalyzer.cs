namespace SparseSearch.Encoding.Analysis;

/// <summary>An analysis that can say where in the text each term came from: highlighting in one pass over the text.</summary>
public interface IOffsetTermAnalyzer : ITermAnalyzer
{
    /// <summary>Each term with the character range [Start, End) of the text it was produced from.</summary>
    IReadOnlyList<(string Term, int Start, int End)> TermsWithOffsets(string text);
}
