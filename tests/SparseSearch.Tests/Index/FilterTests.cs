using System.Globalization;
using System.Text.Json;
using Lucene.Net.Search;
using SparseSearch.Core;
using SparseSearch.Index.Filters;
using SparseSearch.Index.Impact;
using SparseSearch.Index.Impact.TopK;
using static SparseSearch.Tests.Index.ImpactTestData;

namespace SparseSearch.Tests.Index;

/// <summary>
/// Filters inside the top k, against a reference written here: each random filter is evaluated on the documents'
/// metadata by <see cref="Accepts"/> (plain C#, no Lucene) and the top k recomputed by brute force over the accepted
/// documents; the pruned search (bounds masked to the filter) must equal the exhaustive one exactly and both the reference.
/// </summary>
public class FilterTests
{
    private const float Scale = 100f;
    private const int Documents = 5_000;
    private static readonly string[] Categories = Enumerable.Range(0, 20).Select(i => $"c{i:00}").ToArray();
    private static readonly string[] Tags = ["red", "green", "blue", "cyan", "gold", "gray", "pink", "teal"];

    private sealed record Doc(string Id, SparseVector Vector, int? N, string? Category, string[] Tags, bool? Flag, int? Year);

    [Fact]
    public void Pruned_filtered_top_k_equals_exhaustive_and_a_brute_force_reference_on_1000_random_filters()
    {
        using var directory = TestPaths.Temporary();
        var random = new Random(17);
        var live = Build(directory.Path, random);
        using var searcher = ImpactIndexSearcher.Open(directory.Path, Manifest(Scale));
        Assert.True(searcher.SegmentCount > 1, "the property must cover several segments");
        Assert.True(searcher.Reader.NumDeletedDocs > 0, "and deleted documents");

        var selectivities = new List<double>();
        var vocabulary = live.Values.SelectMany(d => d.Vector.Weights.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();
        for (var q = 0; q < 1_000; q++)
        {
            var filter = RandomFilter(random, depth: 0);
            var accepted = live.Values.Where(d => Accepts(filter, d)).ToArray();
            selectivities.Add(accepted.Length / (double)live.Count);
            var query = RandomQuery(random, vocabulary);
            var k = q % 3 == 0 ? 100 : 10;
            var exhaustive = searcher.SearchTopDocs(query, k, TopKAlgorithm.Exhaustive, filter: filter);
            var pruned = searcher.SearchTopDocs(query, k, TopKAlgorithm.BlockMaxScore, filter: filter);
            Assert.Equal(Pairs(exhaustive), Pairs(pruned));


            var expected = accepted.Select(d => d.Vector.Dot(query)).Where(s => s != 0).OrderDescending().Take(k).ToArray();
            Assert.Equal(expected.Length, pruned.ScoreDocs.Length);
            var acceptedIds = accepted.Select(d => d.Id).ToHashSet();
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(pruned.ScoreDocs[i].Score - expected[i]) <= 1e-5 * expected[i], $"filter {q} rank {i}: {pruned.ScoreDocs[i].Score} vs {expected[i]}");
                Assert.Contains(searcher.Document(pruned.ScoreDocs[i].Doc).Id, acceptedIds);
            }

            var (count, exact) = searcher.CountMatches(query, long.MaxValue, filter: filter);
            Assert.True(exact);
            Assert.Equal(accepted.Count(d => d.Vector.Dot(query) != 0), count);
        }

        // The filters spanned what the property promises: from 0.1% of the documents to all of them.
        Assert.Contains(selectivities, s => s > 0 && s <= 0.002);
        Assert.Contains(selectivities, s => s is > 0.005 and < 0.05);
        Assert.Contains(selectivities, s => s is > 0.2 and < 0.8);
        Assert.Contains(selectivities, s => s == 1.0);
    }

    [Fact]
    public void A_filter_inside_the_top_k_still_returns_k_hits_where_filtering_after_it_returns_none()
    {
        using var directory = TestPaths.Temporary();
        using (var writer = new ImpactIndexWriter(directory.Path, new ImpactQuantizer(Scale), storeText: false))
        {
            for (var i = 0; i < 200; i++)
            {
                // The 100 strongest matches are all "news"; the 100 weaker ones "blog".
                writer.Add(new ImpactDocument($"d{i}", "", "", [new TermImpact("apple", 1000 - i)])
                {
                    Metadata = Metadata($$"""{"kind": "{{(i < 100 ? "news" : "blog")}}"}"""),
                });
            }

            writer.Commit();
        }

        using var searcher = ImpactIndexSearcher.Open(directory.Path, Manifest(Scale));
        var hits = searcher.Search(Vector(("apple", 1f)), 10, filter: FilterParser.Parse("""{"term": {"kind": "blog"}}"""));
        Assert.Equal(Enumerable.Range(100, 10).Select(i => $"d{i}"), hits.Select(h => h.DocId));
    }

    [Theory]
    [InlineData("""{"term": {"a": 1}, "terms": {"a": [1]}}""", "filter", "exactly one operator")]
    [InlineData("""{"match": {"a": 1}}""", "filter", "unknown operator 'match'")]
    [InlineData("""{"and": [{"term": {"a": 1}}, {"range": {"year": {"gte": "x", "lt": 3}}}]}""", "filter.and[1].range.year", "both bounds")]
    [InlineData("""{"range": {"year": {"from": 3}}}""", "filter.range.year.from", "unknown bound")]
    [InlineData("""{"terms": {"tag": []}}""", "filter.terms.tag", "non-empty array")]
    [InlineData("""{"term": {"tag": null}}""", "filter.term.tag", "found null")]
    [InlineData("""{"not": [1]}""", "filter.not", "found an array")]
    [InlineData("""{"term": {"a": 1, "b": 2}}""", "filter.term", "exactly one field")]
    [InlineData("""{"term": """, "filter", "not valid JSON")]
    public void A_malformed_filter_is_refused_naming_where(string json, string path, string message)
    {
        var error = Assert.Throws<InvalidFilterException>(() => FilterParser.Parse(json));
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Reason);
    }

    [Fact]
    public void Metadata_values_are_flattened_and_bad_ones_refused()
    {
        var metadata = Metadata("""{"year": 2020, "tags": ["a", "b"], "venue": {"name": "SIGIR", "open": true}, "none": null}""");
        Assert.Equal(
            ["year=2020", "tags=a", "tags=b", "venue.name=SIGIR", "venue.open=true"],
            metadata.Values.Select(v => $"{v.Field}={(v.IsNumber ? v.Number.ToString(CultureInfo.InvariantCulture) : v.Keyword)}"));
        Assert.Contains("not a finite", Assert.Throws<ArgumentException>(() => Metadata("""{"x": 1e400}""")).Message);
        Assert.Contains("array of arrays", Assert.Throws<ArgumentException>(() => Metadata("""{"x": [[1]]}""")).Message);
        Assert.Contains("must be an object", Assert.Throws<ArgumentException>(() => DocumentMetadata.FromJson(JsonDocument.Parse("[1]").RootElement)).Message);
    }

    private static DocumentMetadata Metadata(string json) => DocumentMetadata.FromJson(JsonDocument.Parse(json).RootElement);

    /// <summary>Random documents with metadata in small batches (several segments), then deletions and replacements.</summary>
    private static Dictionary<string, Doc> Build(string path, Random random)
    {
        var quantizer = new ImpactQuantizer(Scale);
        var live = new Dictionary<string, Doc>();
        using var writer = new ImpactIndexWriter(path, quantizer, storeText: false, batchSize: 1_200);
        for (var i = 0; i < Documents; i++)
        {
            var doc = RandomDoc(random, $"d{i}");
            writer.Add(ToImpactDocument(quantizer, doc));
            live[doc.Id] = Dequantized(quantizer, doc);
        }

        writer.Commit();
        // Deletes first, then replacements in one batch: a delete flushes the pending batch, and alternating them
        // would leave a hundred one-document segments.
        for (var i = 0; i < 150; i++)
        {
            var id = $"d{random.Next(Documents)}";
            writer.Delete(id);
            live.Remove(id);
        }

        for (var i = 0; i < 150; i++)
        {
            var doc = RandomDoc(random, $"d{random.Next(Documents)}");
            writer.Add(ToImpactDocument(quantizer, doc));
            live[doc.Id] = Dequantized(quantizer, doc);
        }

        writer.Commit();
        return live;
    }

    private static Doc RandomDoc(Random random, string id)
    {
        var terms = Enumerable.Range(0, random.Next(2, 25)).Select(_ => $"t{(int)Math.Pow(random.Next(1, 400), 1.3)}").Distinct()
            .ToDictionary(t => t, _ => (float)Math.Round(0.05 + (3 * random.NextDouble()), 2));
        // One document in twenty has no metadata at all; fields are missing now and then, so "not" and ranges meet absent values.
        if (random.Next(20) == 0)
        {
            return new Doc(id, new SparseVector(terms), null, null, [], null, null);
        }

        return new Doc(id, new SparseVector(terms), random.Next(1_000), random.Next(10) == 0 ? null : Categories[random.Next(Categories.Length)],
            Tags.Where(_ => random.Next(4) == 0).ToArray(), random.Next(3) == 0 ? null : random.Next(2) == 0, random.Next(5) == 0 ? null : 1990 + random.Next(35));
    }

    private static ImpactDocument ToImpactDocument(ImpactQuantizer quantizer, Doc doc)
    {
        var fields = new Dictionary<string, object>();
        if (doc.N is { } n)
        {
            fields["n"] = n;
        }

        if (doc.Category is { } category)
        {
            fields["cat"] = category;
        }

        if (doc.Tags.Length > 0)
        {
            fields["tags"] = doc.Tags;
        }

        if (doc.Flag is { } flag)
        {
            fields["flag"] = flag;
        }

        if (doc.Year is { } year)
        {
            fields["pub"] = new Dictionary<string, object> { ["year"] = year };
        }

        var metadata = fields.Count == 0 && doc.N is null ? null : Metadata(JsonSerializer.Serialize(fields));
        return new ImpactDocument(doc.Id, "", "", quantizer.Quantize(doc.Vector)) { Metadata = metadata };
    }

    private static Doc Dequantized(ImpactQuantizer quantizer, Doc doc) => doc with { Vector = Dequantize(quantizer, doc.Vector) };

    private static SparseVector RandomQuery(Random random, string[] vocabulary) =>
        new(Enumerable.Range(0, random.Next(1, 12)).Select(_ => vocabulary[random.Next(vocabulary.Length)]).Distinct()
            .ToDictionary(t => t, _ => (float)(0.2 + (2 * random.NextDouble()))));

    /// <summary>Filters over every operator and field kind, with ranges from 0.1% of "n" to all of it.</summary>
    private static SearchFilter RandomFilter(Random random, int depth)
    {
        var choice = depth >= 3 ? random.Next(5) : random.Next(8);
        switch (choice)
        {
            case 0:
                {
                    // A range over n (0..999): widths from 1 to 1,000 values, so selectivities from 0.1% to 100%.
                    var width = (int)Math.Round(Math.Pow(1_000, random.NextDouble()));
                    var low = random.Next(0, 1_001 - width);
                    return new RangeFilter("n", FilterValue.Of(low), true, FilterValue.Of(low + width), false);
                }

            case 1:
                return random.Next(2) == 0
                    ? new TermFilter("cat", FilterValue.Of(Categories[random.Next(Categories.Length)]))
                    : new TermsFilter("tags", Tags.Where(_ => random.Next(3) == 0).DefaultIfEmpty("gold").Select(FilterValue.Of).ToArray());
            case 2:
                return new TermFilter("flag", FilterValue.Of(random.Next(2) == 0 ? "true" : "false"));
            case 3:
                {
                    var year = 1990 + random.Next(35);
                    return random.Next(2) == 0
                        ? new TermFilter("pub.year", FilterValue.Of(year))
                        : new RangeFilter("pub.year", random.Next(2) == 0 ? FilterValue.Of(year) : null, random.Next(2) == 0, FilterValue.Of(year + 5.5), true);
                }

            case 4:
                // Keyword ranges compare bytes: c05 ≤ cat < c12.
                return new RangeFilter("cat", FilterValue.Of($"c{random.Next(20):00}"), true, FilterValue.Of($"c{random.Next(20):00}"), random.Next(2) == 0);
            case 5:
                return new AndFilter(Enumerable.Range(0, random.Next(2, 4)).Select(_ => RandomFilter(random, depth + 1)).ToArray());
            case 6:
                return new OrFilter(Enumerable.Range(0, random.Next(2, 4)).Select(_ => RandomFilter(random, depth + 1)).ToArray());
            default:
                return random.Next(4) == 0 ? new RangeFilter("n", FilterValue.Of(-1), true, FilterValue.Of(1e9), true) : new NotFilter(RandomFilter(random, depth + 1));
        }
    }

    /// <summary>The reference: what each filter means, on the documents' own values.</summary>
    private static bool Accepts(SearchFilter filter, Doc doc) => filter switch
    {
        TermFilter term => Values(term.Field, doc).Any(v => v == term.Value),
        TermsFilter terms => Values(terms.Field, doc).Any(terms.Values.Contains),
        RangeFilter range => Values(range.Field, doc).Any(v => InRange(range, v)),
        AndFilter and => and.Filters.All(f => Accepts(f, doc)),
        OrFilter or => or.Filters.Any(f => Accepts(f, doc)),
        NotFilter not => !Accepts(not.Filter, doc),
        _ => throw new ArgumentOutOfRangeException(nameof(filter)),
    };

    private static IEnumerable<FilterValue> Values(string field, Doc doc) => field switch
    {
        "n" => doc.N is { } n ? [FilterValue.Of(n)] : [],
        "cat" => doc.Category is { } c ? [FilterValue.Of(c)] : [],
        "tags" => doc.Tags.Select(FilterValue.Of),
        "flag" => doc.Flag is { } f ? [FilterValue.Of(f ? "true" : "false")] : [],
        "pub.year" => doc.Year is { } y ? [FilterValue.Of(y)] : [],
        _ => [],
    };

    private static bool InRange(RangeFilter range, FilterValue value)
    {
        if (value.IsNumber != (range.Lower ?? range.Upper)!.Value.IsNumber)
        {
            return false;
        }

        int Compare(FilterValue bound) => value.IsNumber ? value.Number.CompareTo(bound.Number) : string.CompareOrdinal(value.Keyword, bound.Keyword);
        var aboveLower = range.Lower is not { } lower || (range.LowerInclusive ? Compare(lower) >= 0 : Compare(lower) > 0);
        var belowUpper = range.Upper is not { } upper || (range.UpperInclusive ? Compare(upper) <= 0 : Compare(upper) < 0);
        return aboveLower && belowUpper;
    }

    private static (int, float)[] Pairs(TopDocs top) => top.ScoreDocs.Select(d => (d.Doc, d.Score)).ToArray();
}
