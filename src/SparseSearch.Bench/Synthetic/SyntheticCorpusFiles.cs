using System.Diagnostics;
using System.Text.Json;
using SparseSearch.Core;
using SparseSearch.Evaluation.Beir;

namespace SparseSearch.Bench.Synthetic;

/// <summary>
/// <c>sparse bench generate</c>: the synthetic corpus as files other tools read — documents as Anserini
/// JsonVectorCollection (<c>sparse index --vectors</c>, pyserini), inference-free queries as BEIR queries.jsonl
/// (their text is the tokens), expanded queries as <c>{"id","vector"}</c> lines.
/// </summary>
public static class SyntheticCorpusFiles
{
    public sealed record Paths(string Corpus, string InferenceFreeQueries, string ExpandedQueries);

    public static Paths Write(SyntheticCorpus corpus, string directory, IProgress<JobProgress>? progress, CancellationToken cancellation)
    {
        Directory.CreateDirectory(directory);
        var paths = new Paths(Path.Combine(directory, "corpus.jsonl.gz"), Path.Combine(directory, "queries.jsonl"), Path.Combine(directory, "queries-expanded.jsonl"));
        var clock = Stopwatch.StartNew();
        using (var writer = new JsonVectorWriter(paths.Corpus))
        {
            foreach (var document in corpus.Generate(cancellation))
            {
                writer.Write(document.Id, "", document.Terms.Select((t, i) => KeyValuePair.Create(corpus.Vocabulary[t], document.Weights[i])));
                if (writer.Count % 10_000 == 0)
                {
                    progress?.Report(new JobProgress("generate", writer.Count, corpus.Spec.Documents, clock.Elapsed));
                }
            }

            writer.Complete();
        }

        File.WriteAllLines(paths.InferenceFreeQueries,
            corpus.InferenceFreeQueries.Select((tokens, i) => JsonSerializer.Serialize(new { _id = $"f{i}", text = string.Join(' ', tokens) })));
        File.WriteAllLines(paths.ExpandedQueries,
            corpus.ExpandedQueries.Select((vector, i) => JsonSerializer.Serialize(new { id = $"e{i}", vector = vector.Weights })));
        return paths;
    }
}
