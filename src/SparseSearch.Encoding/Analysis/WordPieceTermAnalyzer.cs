using System.Security.Cryptography;
using Microsoft.ML.Tokenizers;
using SparseSearch.Core;

namespace SparseSearch.Encoding.Analysis;

/// <summary>
/// BERT uncased WordPiece tokens (with <c>##</c> continuation prefixes), no stemming or stop words: the analysis of
/// Anserini's "flat-wp" runs and the vocabulary SPLADE and the inference-free models share.
/// Basic tokenization is ours (<see cref="BertBasicTokenizer"/>); the greedy longest-match WordPiece is the library's.
/// </summary>
public sealed class WordPieceTermAnalyzer : ITermAnalyzer
{
    private readonly WordPieceTokenizer _wordPiece;

    private WordPieceTermAnalyzer(WordPieceTokenizer wordPiece, string vocabularySha256, string vocabularyPath)
    {
        _wordPiece = wordPiece;
        VocabularyPath = vocabularyPath;
        VocabularySha256 = vocabularySha256;
    }

    public string Description => "bert-wordpiece-uncased";

    public string? VocabularySha256 { get; }

    /// <summary>Absolute path of the vocabulary file.</summary>
    public string VocabularyPath { get; }

    public static WordPieceTermAnalyzer FromVocabulary(string vocabPath)
    {
        if (!File.Exists(vocabPath))
        {
            throw new MissingInputException($"WordPiece vocabulary not found: {vocabPath} (pass --vocab FILE, e.g. ../shared/models/bert-base-uncased/vocab.txt)");
        }

        string sha;
        using (var stream = File.OpenRead(vocabPath))
        {
            sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        var options = new WordPieceOptions { UnknownToken = "[UNK]", ContinuingSubwordPrefix = "##", MaxInputCharsPerWord = 100 };
        return new WordPieceTermAnalyzer(WordPieceTokenizer.Create(vocabPath, options), sha, Path.GetFullPath(vocabPath));
    }

    public IReadOnlyList<string> Terms(string text)
    {
        var terms = new List<string>();
        foreach (var word in BertBasicTokenizer.Words(text))
        {
            foreach (var token in _wordPiece.EncodeToTokens(word, out _, considerPreTokenization: false, considerNormalization: false))
            {
                terms.Add(token.Value);
            }
        }

        return terms;
    }
}
