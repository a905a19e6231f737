using Lucene.Net.Index;
using Lucene.Net.Store;
using SparseSearch.Core;
using SparseSearch.Index.Impact;
using static SparseSearch.Tests.Index.ImpactTestData;

namespace SparseSearch.Tests.Index;

/// <summary>
/// A bulk build leaves its batches unmerged and, at the end, merges them into the requested number of segments of
/// about equal size — every document once, in the order added.
/// </summary>
public class BulkMergeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_final_merge_leaves_the_requested_segments_of_about_equal_size_with_every_document_in_order(int finalSegments)
    {
        using var directory = TestPaths.Temporary();
        const int documents = 2_150;
        using (var writer = new ImpactIndexWriter(directory.Path, new ImpactQuantizer(100), storeText: false, batchSize: 100, bulk: true,
            finalSegments: finalSegments))
        {
            for (var i = 0; i < documents; i++)
            {
                writer.Add($"d{i}", "", "", Vector(($"t{i % 13}", 1f + (i % 5))));
            }

            writer.Commit();
            using (var before = writer.OpenReader())
            {
                Assert.Equal(22, before.Leaves.Count); // no merge while the batches came in
            }

            writer.ForceMerge();
            writer.Commit();
        }

        using var reader = DirectoryReader.Open(FSDirectory.Open(directory.Path));
        Assert.Equal(finalSegments, reader.Leaves.Count);
        var sizes = reader.Leaves.Select(l => l.AtomicReader.MaxDoc).ToArray();
        Assert.True(sizes.Max() - sizes.Min() <= 100, $"segment sizes {string.Join(", ", sizes)}");
        var ids = Enumerable.Range(0, reader.MaxDoc).Select(d => reader.Document(d).Get(SparseSearch.Index.IndexFields.Id)).ToArray();
        Assert.Equal(Enumerable.Range(0, documents).Select(i => $"d{i}"), ids);
    }
}
