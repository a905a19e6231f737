using SparseSearch.Core;

namespace SparseSearch.Evaluation.Beir;

/// <summary>
/// A file of queries to run: BEIR <c>queries.jsonl</c> (<c>{"_id", "text"}</c> per line) or Anserini-style TSV
/// (<c>id&lt;TAB&gt;text</c> per line), plain or gzip-compressed. The format comes from the name (.jsonl/.json or
/// .tsv/.txt, before any .gz), else from the first line (JSON objects start with '{').
/// </summary>
public static class TopicsFile
{
    public static IReadOnlyList<QueryText> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new MissingInputException($"topics file not found: {path}");
        }

        var queries = IsJson(path) ? BeirQueries.Load(path) : LoadTsv(path);
        var duplicate = queries.GroupBy(q => q.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidCorpusException($"{path}: query id '{duplicate.Key}' appears {duplicate.Count()} times");
        }

        return queries.Count > 0 ? queries : throw new InvalidCorpusException($"{path} holds no queries");
    }

    private static bool IsJson(string path)
    {
        var name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        var extension = Path.GetExtension(name).ToLowerInvariant();
        return extension switch
        {
            ".jsonl" or ".json" => true,
            ".tsv" or ".txt" => false,
            _ => JsonLines.ReadLines(path).Select(l => l.Text.TrimStart()).FirstOrDefault()?.StartsWith('{') ?? false,
        };
    }

    private static List<QueryText> LoadTsv(string path)
    {
        var queries = new List<QueryText>();
        foreach (var (line, text) in JsonLines.ReadLines(path))
        {
            var tab = text.IndexOf('\t');
            if (tab <= 0)
            {
                throw new InvalidCorpusException($"{path} line {line}: expected 'id<TAB>query text'");
            }

            queries.Add(new QueryText(text[..tab].Trim(), text[(tab + 1)..].Trim()));
        }

        return queries;
    }
}
