using SparseSearch.Core;
using SparseSearch.Encoding.Analysis;

namespace SparseSearch.Encoding.Models;

/// <summary>
/// BERT inputs for a model: [CLS] + WordPiece tokens (truncated to max length − 2) + [SEP], as Hugging Face's
/// <c>BertTokenizer(text, truncation=True, max_length=n)</c> produces them, with the vocabulary's ids.
/// </summary>
public sealed class ModelTokenizer
{
    private readonly Dictionary<string, int> _ids;

    public ModelTokenizer(string vocabPath, int maxLength)
    {
        Analyzer = WordPieceTermAnalyzer.FromVocabulary(vocabPath);
        Tokens = File.ReadLines(vocabPath).ToArray();
        _ids = new Dictionary<string, int>(Tokens.Length, StringComparer.Ordinal);
        for (var i = 0; i < Tokens.Length; i++)
        {
            _ids.TryAdd(Tokens[i], i);
        }

        MaxLength = maxLength;
        Cls = Id("[CLS]");
        Sep = Id("[SEP]");
        Unknown = Id("[UNK]");
        Pad = _ids.GetValueOrDefault("[PAD]");
    }

    public WordPieceTermAnalyzer Analyzer { get; }

    /// <summary>Vocabulary tokens by id.</summary>
    public string[] Tokens { get; }

    public int MaxLength { get; }

    public int Cls { get; }

    public int Sep { get; }

    public int Unknown { get; }

    public int Pad { get; }

    private long _truncated;

    /// <summary>Texts encoded so far that had more tokens than the model reads (their tail was not seen).</summary>
    public long Truncated => Interlocked.Read(ref _truncated);

    public int[] Encode(string text)
    {
        var pieces = Analyzer.Terms(text);
        if (pieces.Count > MaxLength - 2)
        {
            Interlocked.Increment(ref _truncated);
        }

        var count = Math.Min(pieces.Count, MaxLength - 2);
        var ids = new int[count + 2];
        ids[0] = Cls;
        for (var i = 0; i < count; i++)
        {
            ids[i + 1] = _ids.TryGetValue(pieces[i], out var id) ? id : Unknown;
        }

        ids[^1] = Sep;
        return ids;
    }

    private int Id(string token) => _ids.TryGetValue(token, out var id)
        ? id
        : throw new InvalidSettingException($"the vocabulary lacks the special token {token}");
}
