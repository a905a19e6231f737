using SparseSearch.Core;

namespace SparseSearch.Evaluation.Beir;

/// <summary>A test collection in BEIR layout: <c>corpus.jsonl[.gz]</c>, <c>queries.jsonl</c>, <c>qrels/&lt;split&gt;.tsv</c>.</summary>
public sealed record BeirDataset(string Name, string Directory, string CorpusPath, string QueriesPath, string QrelsPath)
{
    public static BeirDataset Open(string directory, string split = "test")
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new MissingInputException($"dataset directory not found: {directory}");
        }

        var corpus = FirstExisting(directory, "corpus.jsonl", "corpus.jsonl.gz")
            ?? throw new MissingInputException($"{directory} has no corpus.jsonl or corpus.jsonl.gz");
        var queries = FirstExisting(directory, "queries.jsonl", "queries.jsonl.gz")
            ?? throw new MissingInputException($"{directory} has no queries.jsonl");
        var qrels = Path.Combine(directory, "qrels", split + ".tsv");
        if (!File.Exists(qrels))
        {
            throw new MissingInputException($"{directory} has no qrels/{split}.tsv (choose the split with --split)");
        }

        var name = new DirectoryInfo(directory).Name;
        return new BeirDataset(name, directory, corpus, queries, qrels);
    }

    /// <summary>The corpus of a BEIR directory, or the file itself when given a corpus file: indexing needs nothing else.</summary>
    public static string FindCorpus(string directoryOrFile)
    {
        if (File.Exists(directoryOrFile))
        {
            return directoryOrFile;
        }

        if (!System.IO.Directory.Exists(directoryOrFile))
        {
            throw new MissingInputException($"dataset directory not found: {directoryOrFile}");
        }

        return FirstExisting(directoryOrFile, "corpus.jsonl", "corpus.jsonl.gz")
            ?? throw new MissingInputException($"{directoryOrFile} has no corpus.jsonl or corpus.jsonl.gz");
    }

    private static string? FirstExisting(string directory, params string[] names) =>
        names.Select(n => Path.Combine(directory, n)).FirstOrDefault(File.Exists);
}
