using SparseSearch.Encoding.Analysis;

namespace SparseSearch.Tests.Encoding;

public class EnglishTermAnalyzerTests
{
    [Fact]
    public void Stems_lowercases_and_removes_stop_words_like_lucene_english_analyzer()
    {
        using var analyzer = new EnglishTermAnalyzer();
        // Porter stems, possessive removed, "the"/"of" are stop words.
        Assert.Equal(["connect", "network", "comput", "run"], analyzer.Terms("The Connections of the Network's Computers running"));
    }
}
