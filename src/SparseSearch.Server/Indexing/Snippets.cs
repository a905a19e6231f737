using System.Text.RegularExpressions;
using SparseSearch.Encoding.Analysis;
using SparseSearch.Server.Api;

namespace SparseSearch.Server.Indexing;

/// <summary>
/// A short passage of a hit's text around its matched terms, with the words to highlight. A word is highlighted when
/// the index's own analysis turns it into a matched term (so "computers" lights up for the stem "comput", and a word
/// whose WordPiece pieces include a matched piece lights up too).
/// </summary>
internal static partial class Snippets
{
    public const int MaxChars = 280;

    public sealed record Snippet(string Text, IReadOnlyList<Highlight> Highlights);

    public static Snippet Build(string text, IReadOnlySet<string> matched, ITermAnalyzer analyzer)
    {
        var words = Word().Matches(text).Where(w => analyzer.Terms(w.Value).Any(matched.Contains)).ToArray();
        var start = 0;
        if (words.Length > 0 && text.Length > MaxChars)
        {
            // Start a little before the first matched word, at a word boundary.
            start = Math.Max(0, words[0].Index - (MaxChars / 4));
            while (start > 0 && !char.IsWhiteSpace(text[start - 1]))
            {
                start--;
            }
        }

        var length = Math.Min(MaxChars, text.Length - start);
        var snippet = text.Substring(start, length);
        var highlights = words.Where(w => w.Index >= start && w.Index + w.Length <= start + length)
            .Select(w => new Highlight(w.Index - start, w.Length)).ToArray();
        return new Snippet(start + length < text.Length ? snippet + "…" : snippet, highlights);
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’][\p{L}]+)?")]
    private static partial Regex Word();
}
