using SparseSearch.Core;
using SparseSearch.Encoding.Analysis;

namespace SparseSearch.Tests.Encoding;

/// <summary>Reference: Hugging Face BertTokenizer (bert-base-uncased) outputs for these strings.</summary>
public class WordPieceTermAnalyzerTests
{
    private static readonly WordPieceTermAnalyzer Analyzer = WordPieceTermAnalyzer.FromVocabulary(TestPaths.BertVocab);

    [Theory]
    [InlineData("I have a new GPU!", "i have a new gp ##u !")] // Hugging Face's tokenizer summary example
    [InlineData("Héllo, WORLD!", "hello , world !")]
    [InlineData("$5 + 3 = 8 × 2", "$ 5 + 3 = 8 × 2")] // symbols Microsoft.ML.Tokenizers' BertTokenizer drops
    [InlineData("naïve café", "naive cafe")]
    [InlineData("state-of-the-art", "state - of - the - art")]
    [InlineData("  \t\n ", "")]
    public void Tokens_match_hugging_face(string text, string expected) =>
        Assert.Equal(expected, string.Join(' ', Analyzer.Terms(text)));

    [Fact]
    public void Vocabulary_hash_is_the_published_one() =>
        Assert.Equal("07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3", Analyzer.VocabularySha256);

    [Fact]
    public void Missing_vocabulary_is_a_clear_error()
    {
        var error = Assert.Throws<MissingInputException>(() => WordPieceTermAnalyzer.FromVocabulary("/nonexistent/vocab.txt"));
        Assert.Contains("--vocab", error.Message);
    }
}
