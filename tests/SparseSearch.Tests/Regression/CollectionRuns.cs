using System.Collections.Concurrent;
using SparseSearch.Encoding;
using SparseSearch.Encoding.Bm25;
using SparseSearch.Evaluation;
using SparseSearch.Evaluation.Beir;
using SparseSearch.Index;

namespace SparseSearch.Tests.Regression;

/// <summary>Builds each (collection, encoder) index once per test run and keeps its evaluation for all tests.</summary>
public sealed class CollectionRuns : IDisposable
{
    private readonly TemporaryDirectory _indexes = TestPaths.Temporary();
    private readonly ConcurrentDictionary<string, Lazy<EvaluationResult>> _results = new();

    public EvaluationResult Get(string collection, string encoder, LengthNorm lengthNorm = LengthNorm.Exact) =>
        _results.GetOrAdd($"{collection}-{encoder}-{lengthNorm}", key => new Lazy<EvaluationResult>(() =>
        {
            var dataset = BeirDataset.Open(TestPaths.Dataset(collection));
            var options = new EncoderOptions(TestPaths.BertVocab, LengthNorm: lengthNorm);
            var definition = EncoderCatalog.Resolve(encoder, options);
            var path = _indexes.Combine(key);
            IndexBuilder.Build(new BeirCorpus(dataset.CorpusPath), definition, path,
                new IndexBuildOptions { QuantizationScale = definition.DefaultQuantizationScale });
            using var engine = SearchEngines.Open(path, encoder, options);
            return EvaluationRunner.Run(engine, dataset, new EvaluationOptions());
        })).Value;

    public void Dispose() => _indexes.Dispose();
}
