using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace SparseSearch.Encoding.Analysis;

/// <summary>
/// Lucene's <see cref="EnglishAnalyzer"/> (standard tokenizer, possessive filter, lower case, the 33 English stop words,
/// Porter stemmer): the analysis of Anserini's default English runs. Thread-safe: Lucene analyzers reuse one
/// token stream per thread.
/// </summary>
public sealed class EnglishTermAnalyzer : IOffsetTermAnalyzer, IDisposable
{
    private const string FieldName = "contents";
    private readonly Analyzer _analyzer = new EnglishAnalyzer(LuceneVersion.LUCENE_48);

    public string Description => "lucene-english";

    public string? VocabularySha256 => null;

    /// <summary>The Lucene analyzer itself, for the plain Lucene BM25 reference index.</summary>
    public Analyzer LuceneAnalyzer => _analyzer;

    public IReadOnlyList<string> Terms(string text)
    {
        var terms = new List<string>();
        using var stream = _analyzer.GetTokenStream(FieldName, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add(term.ToString());
        }

        stream.End();
        return terms;
    }

    public IReadOnlyList<(string Term, int Start, int End)> TermsWithOffsets(string text)
    {
        var terms = new List<(string, int, int)>();
        using var stream = _analyzer.GetTokenStream(FieldName, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add((term.ToString(), offset.StartOffset, offset.EndOffset));
        }

        stream.End();
        return terms;
    }

    public void Dispose() => _analyzer.Dispose();
}
