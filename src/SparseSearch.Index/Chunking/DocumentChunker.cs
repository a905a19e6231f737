using SparseSearch.Core;
using SparseSearch.Encoding.Analysis;

namespace SparseSearch.Index.Chunking;

/// <summary>One window of a document's text: the characters [Start, End) of its text field.</summary>
public readonly record struct TextChunk(int Ordinal, int Start, int End);

/// <summary>
/// Splits long documents into windows counted in the encoder's own tokens (WordPiece pieces for models and bm25-wp,
/// analysed terms for bm25), so a model sees every part of a document instead of its first max_length tokens. Windows
/// end on whitespace: each whitespace-separated word is counted with the encoder's analysis and words are packed until
/// the next one would overflow the window; consecutive windows share at least <c>overlap</c> tokens of whole words.
/// A word longer than a window is a window of its own. Every document has at least one chunk (an empty text one
/// empty chunk), so every document keeps its title and metadata.
/// </summary>
public static class DocumentChunker
{
    public static IReadOnlyList<TextChunk> Split(string text, ITermAnalyzer analyzer, int window, int overlap)
    {
        if (window < 1 || overlap < 0 || overlap >= window)
        {
            throw new InvalidSettingException($"chunks need 1 ≤ overlap + 1 ≤ tokens, found tokens {window}, overlap {overlap}");
        }

        var words = Words(text);
        if (words.Count == 0)
        {
            return [new TextChunk(0, 0, text.Length)];
        }

        var tokens = words.Select(w => analyzer.Terms(text[w.Start..w.End]).Count).ToArray();
        var chunks = new List<TextChunk>();
        var first = 0;
        while (first < words.Count)
        {
            var last = first;
            var used = tokens[first];
            while (last + 1 < words.Count && used + tokens[last + 1] <= window)
            {
                used += tokens[++last];
            }

            // Text before the first word belongs to the first chunk, text after the last word to the last one.
            var start = chunks.Count == 0 ? 0 : words[first].Start;
            var end = last == words.Count - 1 ? text.Length : words[last].End;
            chunks.Add(new TextChunk(chunks.Count, start, end));
            if (last == words.Count - 1)
            {
                break;
            }

            // Step back over whole words until the overlap is covered, always moving forward.
            var next = last + 1;
            var shared = 0;
            while (next - 1 > first && shared < overlap)
            {
                shared += tokens[--next];
            }

            first = next;
        }

        return chunks;
    }

    private static List<(int Start, int End)> Words(string text)
    {
        var words = new List<(int, int)>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var space = i == text.Length || char.IsWhiteSpace(text[i]);
            if (space && start >= 0)
            {
                words.Add((start, i));
                start = -1;
            }
            else if (!space && start < 0)
            {
                start = i;
            }
        }

        return words;
    }
}
