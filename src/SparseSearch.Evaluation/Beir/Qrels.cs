using System.Globalization;
using SparseSearch.Core;

namespace SparseSearch.Evaluation.Beir;

/// <summary>
/// Relevance judgements: query id -> (doc id -> grade). Reads BEIR's <c>query-id corpus-id score</c> TSV (header
/// optional) and TREC's four-column <c>qid 0 docid grade</c>. Judged ids absent from the corpus are kept: they still
/// count as relevant documents that were not retrieved, as trec_eval counts them.
/// </summary>
public sealed class Qrels
{
    private readonly Dictionary<string, Dictionary<string, int>> _judgements;

    public Qrels(Dictionary<string, Dictionary<string, int>> judgements) => _judgements = judgements;

    public IReadOnlyCollection<string> QueryIds => _judgements.Keys;

    public int JudgementCount => _judgements.Values.Sum(j => j.Count);

    public IReadOnlyDictionary<string, int> For(string queryId) =>
        _judgements.TryGetValue(queryId, out var judged) ? judged : new Dictionary<string, int>();

    public bool HasJudgements(string queryId) => _judgements.ContainsKey(queryId);

    public static Qrels Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new MissingInputException($"qrels file not found: {path}");
        }

        var judgements = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var columns = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            var (query, doc, grade) = columns.Length switch
            {
                3 => (columns[0], columns[1], columns[2]),
                4 => (columns[0], columns[2], columns[3]),
                _ => throw new InvalidCorpusException($"{path} line {number}: expected 3 (BEIR) or 4 (TREC) columns, found {columns.Length}"),
            };
            if (!int.TryParse(grade, NumberStyles.Integer, CultureInfo.InvariantCulture, out var relevance))
            {
                if (number == 1)
                {
                    continue; // BEIR's header line: query-id corpus-id score
                }

                throw new InvalidCorpusException($"{path} line {number}: relevance '{grade}' is not an integer");
            }

            if (!judgements.TryGetValue(query, out var judged))
            {
                judged = new Dictionary<string, int>(StringComparer.Ordinal);
                judgements[query] = judged;
            }

            judged[doc] = relevance;
        }

        return new Qrels(judgements);
    }
}
