using SparseSearch.Core;

namespace SparseSearch.Evaluation.Beir;

/// <summary>BEIR <c>queries.jsonl</c>: one <c>{"_id", "text"}</c> per line.</summary>
public static class BeirQueries
{
    public static IReadOnlyList<QueryText> Load(string path)
    {
        var queries = new List<QueryText>();
        foreach (var (line, json) in JsonLines.Read(path))
        {
            queries.Add(new QueryText(JsonLines.Text(json, "_id", path, line, required: true), JsonLines.Text(json, "text", path, line)));
        }

        return queries;
    }
}
