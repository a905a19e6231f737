using SparseSearch.Core;
using SparseSearch.Encoding.Analysis;
using SparseSearch.Encoding.Bm25;

namespace SparseSearch.Encoding;

/// <summary>
/// Documents encoded elsewhere (<c>sparse index --vectors FILE</c>); queries are inference-free over the index's own
/// idf, tokenised by WordPiece when a vocabulary is given (the SPLADE family's terms) or by white space otherwise.
/// </summary>
public sealed class PrecomputedEncoderDefinition(ITermAnalyzer queryAnalyzer) : EncoderDefinition
{
    public const string EncoderName = "vectors";

    public override string Name => EncoderName;

    public override IndexKind Kind => IndexKind.Impact;

    public override ITermAnalyzer Analyzer => queryAnalyzer;

    public override IReadOnlyDictionary<string, string> Settings => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["analyzer"] = queryAnalyzer.Description,
        ["vocabulary_sha256"] = queryAnalyzer.VocabularySha256 ?? "",
        ["query"] = "index-idf",
    };

    public override bool EncodesDocuments => false;

    public override IDocumentEncoder CreateDocumentEncoder(CorpusLengthStatistics? statistics) =>
        throw new InvalidSettingException("documents of a pre-encoded index arrive encoded: use 'sparse index --vectors FILE'");

    public override IQueryEncoder CreateQueryEncoder(ITermStatistics statistics) => new IndexIdfQueryEncoder(queryAnalyzer, statistics);
}
