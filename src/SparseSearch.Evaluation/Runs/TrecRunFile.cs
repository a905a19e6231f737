using System.Globalization;
using SparseSearch.Core;
using SparseSearch.Evaluation.Metrics;

namespace SparseSearch.Evaluation.Runs;

/// <summary>TREC run files: <c>qid Q0 docid rank score tag</c>, ranks in trec_eval order.</summary>
public static class TrecRunFile
{
    /// <summary>The tag of runs SparseSearch writes for an index built with <paramref name="encoder"/> (eval and search --topics alike).</summary>
    public static string TagFor(string encoder) => $"sparsesearch-{encoder}";

    public static void Write(string path, IReadOnlyDictionary<string, IReadOnlyList<Hit>> run, string tag)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        using var writer = new StreamWriter(path);
        Write(writer, run, tag);
    }

    /// <summary>The run as text: queries in ordinal id order, hits in trec_eval order, one line each.</summary>
    public static void Write(TextWriter writer, IReadOnlyDictionary<string, IReadOnlyList<Hit>> run, string tag)
    {
        foreach (var queryId in run.Keys.Order(StringComparer.Ordinal))
        {
            var rank = 1;
            foreach (var hit in RankedList.TrecOrder(run[queryId]))
            {
                writer.Write(queryId);
                writer.Write(" Q0 ");
                writer.Write(hit.DocId);
                writer.Write(' ');
                writer.Write(rank++.ToString(CultureInfo.InvariantCulture));
                writer.Write(' ');
                writer.Write(hit.Score.ToString("R", CultureInfo.InvariantCulture));
                writer.Write(' ');
                writer.WriteLine(tag);
            }
        }
    }

    public static Dictionary<string, IReadOnlyList<Hit>> Read(string path)
    {
        var run = new Dictionary<string, List<Hit>>(StringComparer.Ordinal);
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            var columns = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length == 0)
            {
                continue;
            }

            if (columns.Length != 6 || !float.TryParse(columns[4], NumberStyles.Float, CultureInfo.InvariantCulture, out var score))
            {
                throw new InvalidCorpusException($"{path} line {number}: expected 'qid Q0 docid rank score tag'");
            }

            if (!run.TryGetValue(columns[0], out var hits))
            {
                hits = [];
                run[columns[0]] = hits;
            }

            hits.Add(new Hit(columns[2], score));
        }

        return run.ToDictionary(e => e.Key, e => (IReadOnlyList<Hit>)e.Value, StringComparer.Ordinal);
    }
}
