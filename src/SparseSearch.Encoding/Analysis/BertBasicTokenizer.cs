using System.Globalization;
using System.Text;

namespace SparseSearch.Encoding.Analysis;

/// <summary>
/// The "basic" step of BERT's uncased tokenizer, done here rather than by Microsoft.ML.Tokenizers because its
/// BertTokenizer drops symbol characters (<c>+ = $ £ ×</c>) that Hugging Face keeps and does not strip accents by default.
/// Steps, as Hugging Face's BasicTokenizer: drop NUL, U+FFFD and control characters; map white space to a space;
/// put spaces around CJK ideographs; NFC; lower-case; strip accents (NFD, drop non-spacing marks);
/// split every punctuation character into a word of its own.
/// </summary>
public static class BertBasicTokenizer
{
    public static List<string> Words(string text)
    {
        var cleaned = new StringBuilder(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            var cp = rune.Value;
            if (cp == 0 || cp == 0xFFFD || IsControl(rune))
            {
                continue;
            }

            if (IsWhitespace(rune))
            {
                cleaned.Append(' ');
            }
            else if (IsCjk(cp))
            {
                cleaned.Append(' ').Append(rune.ToString()).Append(' ');
            }
            else
            {
                cleaned.Append(rune.ToString());
            }
        }

        var normalized = cleaned.ToString().Normalize(NormalizationForm.FormC);
        var words = new List<string>();
        foreach (var token in SplitOnWhitespace(normalized))
        {
            SplitOnPunctuation(StripAccents(LowerCase(token)), words);
        }

        return words;
    }

    /// <summary>Python's str.split(): any white space, line and paragraph separators included (BERT keeps those as text until here).</summary>
    private static IEnumerable<string> SplitOnWhitespace(string text)
    {
        var start = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                if (start >= 0)
                {
                    yield return text[start..i];
                    start = -1;
                }
            }
            else if (start < 0)
            {
                start = i;
            }
        }

        if (start >= 0)
        {
            yield return text[start..];
        }
    }

    /// <summary>
    /// Python's str.lower() uses full case mapping; the one unconditional mapping that differs from .NET's simple
    /// mapping is U+0130 (İ) -> "i" + U+0307, whose dot the accent stripping then removes.
    /// </summary>
    private static string LowerCase(string token) => token.Replace("\u0130", "i\u0307", StringComparison.Ordinal).ToLowerInvariant();

    private static string StripAccents(string token)
    {
        var decomposed = token.Normalize(NormalizationForm.FormD);
        var kept = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                kept.Append(rune.ToString());
            }
        }

        return kept.ToString();
    }

    private static void SplitOnPunctuation(string token, List<string> words)
    {
        var current = new StringBuilder();
        foreach (var rune in token.EnumerateRunes())
        {
            if (IsPunctuation(rune))
            {
                if (current.Length > 0)
                {
                    words.Add(current.ToString());
                    current.Clear();
                }

                words.Add(rune.ToString());
            }
            else
            {
                current.Append(rune.ToString());
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }
    }

    private static bool IsWhitespace(Rune rune) =>
        rune.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator;

    private static bool IsControl(Rune rune)
    {
        if (rune.Value is '\t' or '\n' or '\r')
        {
            return false;
        }

        // Hugging Face's (Rust) BertNormalizer drops Cc, Cf, Cs and Co, but keeps unassigned code points (Cn), which
        // then become [UNK]: measured against transformers 5.17 on the parity fixture.
        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse;
    }

    private static bool IsPunctuation(Rune rune)
    {
        var cp = rune.Value;
        // BERT treats every non-alphanumeric ASCII character as punctuation, "$" and "^" included.
        if (cp is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126)
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    private static bool IsCjk(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF
            or >= 0x2A700 and <= 0x2B73F or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF
            or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}
