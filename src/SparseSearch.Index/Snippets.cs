using System.Text.RegularExpressions;
using SparseSearch.Encoding.Analysis;

namespace SparseSearch.Index;

/// <summary>
/// A short passage of a hit's text around its matched terms, with the words to highlight. A word is highlighted when
/// the index's own analysis turns it into a matched term (so "computers" lights up for the stem "comput", and a word
/// whose WordPiece pieces include a matched piece lights up too).
/// </summary>
public static partial class Snippets
{
    public const int MaxChars = 280;

    public sealed record Snippet(string Text, IReadOnlyList<TextSpan> Highlights);

    public static Snippet Build(string text, IReadOnlySet<string> matched, ITermAnalyzer analyzer)
    {
        var words = MatchedWords(text, matched, analyzer);
        var start = 0;
        if (words.Length > 0 && text.Length > MaxChars)
        {
            // Start a little before the first matched word, at a word boundary.
            start = Math.Max(0, words[0].Start - (MaxChars / 4));
            while (start > 0 && !char.IsWhiteSpace(text[start - 1]))
            {
                start--;
            }
        }

        var length = Math.Min(MaxChars, text.Length - start);
        var snippet = text.Substring(start, length);
        var highlights = words.Where(w => w.Start >= start && w.Start + w.Length <= start + length)
            .Select(w => new TextSpan(w.Start - start, w.Length)).ToArray();
        return new Snippet(start + length < text.Length ? snippet + "…" : snippet, highlights);
    }

    /// <summary>Character ranges of the words that analyse to a matched term, in text order.</summary>
    private static (int Start, int Length)[] MatchedWords(string text, IReadOnlySet<string> matched, ITermAnalyzer analyzer)
    {
        if (analyzer is IOffsetTermAnalyzer offsets)
        {
            return offsets.TermsWithOffsets(text).Where(t => matched.Contains(t.Term)).Select(t => (t.Start, t.End - t.Start)).Distinct().ToArray();
        }

        // Analyses without offsets: each distinct word once (WordPiece: a word matches when any of its pieces does).
        var verdicts = new Dictionary<string, bool>(StringComparer.Ordinal);
        return Word().Matches(text)
            .Where(w => verdicts.TryGetValue(w.Value, out var hit) ? hit : verdicts[w.Value] = analyzer.Terms(w.Value).Any(matched.Contains))
            .Select(w => (w.Index, w.Length)).ToArray();
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’][\p{L}]+)?")]
    private static partial Regex Word();
}

/// <summary>A range of characters in a snippet.</summary>
public readonly record struct TextSpan(int Start, int Length);
