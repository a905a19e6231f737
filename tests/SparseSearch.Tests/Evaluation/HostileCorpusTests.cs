using System.Text;
using SparseSearch.Core;
using SparseSearch.Encoding;
using SparseSearch.Evaluation.Beir;
using SparseSearch.Index;
using Xunit.Abstractions;

namespace SparseSearch.Tests.Evaluation;

/// <summary>
/// Fuzz-style: seeded random and mutated corpus lines. Every case must either load, or fail with
/// <see cref="InvalidCorpusException"/> naming the file and line — never another exception, a hang or a published
/// half-built index.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class HostileCorpusTests(ITestOutputHelper output)
{
    private const string ValidLine = "{\"_id\":\"d1\",\"title\":\"Sparse retrieval\",\"text\":\"Inverted indexes score impacts quickly.\"}";

    [Fact]
    public void Random_and_mutated_corpus_lines_load_or_fail_cleanly()
    {
        using var directory = TestPaths.Temporary();
        var random = new Random(6);
        int accepted = 0, rejected = 0, indexed = 0;
        const int cases = 3000;
        for (var i = 0; i < cases; i++)
        {
            var path = directory.Combine($"case{i % 10}.jsonl");
            var bytes = HostileFile(random, i);
            File.WriteAllBytes(path, bytes);
            List<CorpusDocument>? documents = null;
            try
            {
                documents = new BeirCorpus(path).Read().ToList();
                accepted++;
            }
            catch (InvalidCorpusException e)
            {
                Assert.Contains(path, e.Message);
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i} ({Describe(bytes)}): {e.GetType().Name}: {e.Message}");
            }

            // Every 25th case also goes through a real index build.
            if (i % 25 == 0)
            {
                indexed++;
                AssertIndexBuildIsAllOrNothing(directory.Combine($"index{i}"), path, documents);
            }
        }

        output.WriteLine($"{cases} cases: {accepted} loaded, {rejected} rejected with a clear error, {indexed} also indexed");
        Assert.True(accepted > cases / 10 && rejected > cases / 10, $"fuzzer too one-sided: {accepted} loaded, {rejected} rejected");
    }

    [Fact]
    public void A_line_over_the_limit_is_refused_without_reading_it_whole()
    {
        using var directory = TestPaths.Temporary();
        var path = directory.Combine("huge.jsonl");
        File.WriteAllText(path, ValidLine + "\n{\"_id\":\"x\",\"text\":\"" + new string('a', 50_000) + "\"}\n");
        var error = Assert.Throws<InvalidCorpusException>(() => JsonLines.Read(path, maxLineChars: 10_000).ToList());
        Assert.Contains("line 2: longer than 10,000 bytes", error.Message);
    }

    [Fact]
    public void Deeply_nested_json_is_rejected_by_depth_not_by_stack_overflow()
    {
        using var directory = TestPaths.Temporary();
        var path = directory.Combine("deep.jsonl");
        File.WriteAllText(path, "{\"_id\":\"x\",\"text\":" + new string('[', 100_000) + new string(']', 100_000) + "}\n");
        var error = Assert.Throws<InvalidCorpusException>(() => new BeirCorpus(path).Read().ToList());
        Assert.Contains("line 1: malformed JSON", error.Message);
    }

    [Fact]
    public void Duplicate_ids_keep_the_last_version()
    {
        using var directory = TestPaths.Temporary();
        var path = directory.Combine("dup.jsonl");
        File.WriteAllLines(path, ["{\"_id\":\"a\",\"text\":\"first apple\"}", "{\"_id\":\"b\",\"text\":\"banana\"}", "{\"_id\":\"a\",\"text\":\"second cherry\"}"]);
        var index = directory.Combine("idx");
        IndexBuilder.Build(new BeirCorpus(path), EncoderCatalog.Resolve("bm25", new EncoderOptions()), index, new IndexBuildOptions());
        using var engine = SearchEngines.Open(index, null, new EncoderOptions());
        Assert.Equal(2, IndexManifest.Read(index).DocumentCount);
        Assert.Empty(engine.Search("apple", 10));
        Assert.Equal("a", engine.Search("cherry", 10).Single().DocId);
    }

    private static void AssertIndexBuildIsAllOrNothing(string index, string corpus, List<CorpusDocument>? documents)
    {
        var encoder = EncoderCatalog.Resolve("bm25", new EncoderOptions());
        try
        {
            IndexBuilder.Build(new BeirCorpus(corpus), encoder, index, new IndexBuildOptions());
        }
        catch (InvalidCorpusException)
        {
            Assert.Null(documents); // only files the reader rejects may fail to index
            Assert.False(IndexManifest.ExistsIn(index), "a failed build must not publish an index");
            return;
        }

        Assert.NotNull(documents);
        Assert.Equal(documents.Select(d => d.Id).Distinct().Count(), IndexManifest.Read(index).DocumentCount);
    }

    private static byte[] HostileFile(Random random, int seed)
    {
        var lines = new List<byte[]>();
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            lines.Add(System.Text.Encoding.UTF8.GetBytes(ValidLine.Replace("d1", $"d{random.Next(5)}")));
        }

        lines.Insert(random.Next(lines.Count + 1), HostileLine(random, seed % 9));
        return lines.SelectMany(l => l.Append((byte)'\n')).ToArray();
    }

    private static byte[] HostileLine(Random random, int kind)
    {
        var valid = System.Text.Encoding.UTF8.GetBytes(ValidLine);
        switch (kind)
        {
            case 0: // random bytes, invalid UTF-8 included
                var noise = new byte[random.Next(1, 200)];
                random.NextBytes(noise);
                return noise.Select(b => b == (byte)'\n' ? (byte)' ' : b).ToArray();
            case 1: // truncated
                return valid[..random.Next(valid.Length)];
            case 2: // one byte changed
                var flipped = (byte[])valid.Clone();
                flipped[random.Next(flipped.Length)] = (byte)random.Next(1, 256);
                return flipped.Select(b => b == (byte)'\n' ? (byte)'x' : b).ToArray();
            case 3: // nesting, sometimes over the depth limit
                var depth = random.Next(1, 64);
                return System.Text.Encoding.UTF8.GetBytes($"{{\"_id\":\"n\",\"text\":{new string('[', depth)}{new string(']', depth)}}}");
            case 4: // wrong types
                string[] values = ["{}", "[]", "true", "null", "1.5e308", "-0", "\"\""];
                return System.Text.Encoding.UTF8.GetBytes($"{{\"_id\":{values[random.Next(values.Length)]},\"title\":{values[random.Next(values.Length)]},\"text\":\"t\"}}");
            case 5: // escapes: lone surrogates, NUL, controls, non-BMP
                string[] escapes = ["\\ud800", "\\u0000", "\\u001f", "\\ud83d\\ude00", "\\udfff\\ud800", "\\\\", "\\\""];
                return System.Text.Encoding.UTF8.GetBytes($"{{\"_id\":\"e{random.Next(3)}\",\"text\":\"a{escapes[random.Next(escapes.Length)]}b\"}}");
            case 6: // not an object
                string[] roots = ["[1,2]", "\"text\"", "42", "null", "{", "}", "{\"_id\":\"x\"}{\"_id\":\"y\"}"];
                return System.Text.Encoding.UTF8.GetBytes(roots[random.Next(roots.Length)]);
            case 7: // long text and odd whitespace
                return System.Text.Encoding.UTF8.GetBytes($"{{\"_id\":\"long\",\"text\":\"{string.Concat(Enumerable.Repeat("word\\t\\r ", random.Next(1, 20_000)))}\"}}");
            default: // extra and duplicated fields
                return System.Text.Encoding.UTF8.GetBytes("{\"_id\":\"x\",\"_id\":\"y\",\"extra\":{\"a\":[1,2,{}]},\"text\":\"dup fields\"}");
        }
    }

    private static string Describe(byte[] bytes) => Convert.ToBase64String(bytes.Length > 300 ? bytes[..300] : bytes);
}
