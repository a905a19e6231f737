namespace SparseSearch.Encoding.Analysis;

/// <summary>
/// Lower-cased, whitespace-separated tokens: the query analysis of a pre-encoded index when no vocabulary is given,
/// for vectors whose terms are plain words.
/// </summary>
public sealed class WhitespaceTermAnalyzer : ITermAnalyzer
{
    public string Description => "whitespace-lowercase";

    public string? VocabularySha256 => null;

    public IReadOnlyList<string> Terms(string text) =>
        text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}
