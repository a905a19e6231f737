using SparseSearch.Core;
using SparseSearch.Encoding;
using SparseSearch.Encoding.Models;

namespace SparseSearch.Index.Chunking;

/// <summary>
/// How an index splits documents (recorded in its manifest, so documents added later by the service are split the
/// same way). <see cref="Tokens"/> is the window in encoder tokens; with <see cref="FillModelWindow"/> each document's
/// window is the model's max_length less [CLS], [SEP] and the title's tokens, so every chunk fits the model whole.
/// </summary>
public sealed record ChunkingSettings(int Tokens, int Overlap, bool FillModelWindow)
{
    /// <summary>The smallest window a long title may leave a model's chunks.</summary>
    public const int MinimumWindow = 16;

    /// <summary>
    /// Resolves <c>--chunk-tokens</c> (a number, or "auto": fill a model's max_length) and <c>--chunk-overlap</c> for an
    /// encoder; null when chunking is off.
    /// </summary>
    public static ChunkingSettings? Resolve(string? tokens, int overlap, EncoderDefinition encoder)
    {
        if (tokens is null)
        {
            return null;
        }

        if (encoder.Kind != IndexKind.Impact || !encoder.EncodesDocuments)
        {
            throw new InvalidSettingException($"--chunk-tokens needs an encoder that encodes text into impacts; '{encoder.Name}' does not");
        }

        if (tokens == "auto")
        {
            return encoder is ModelEncoderDefinition model
                ? Checked(new ChunkingSettings(model.Manifest.MaxLength - 2, overlap, FillModelWindow: true))
                : throw new InvalidSettingException($"--chunk-tokens auto fills a model's max_length; '{encoder.Name}' has none: give a number of tokens");
        }

        return int.TryParse(tokens, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var window) && window > 0
            ? Checked(new ChunkingSettings(window, overlap, FillModelWindow: false))
            : throw new InvalidSettingException($"--chunk-tokens must be a positive number of tokens or 'auto', found '{tokens}'");
    }

    private static ChunkingSettings Checked(ChunkingSettings settings) => settings.Overlap < 0 || settings.Overlap >= settings.Tokens
        ? throw new InvalidSettingException($"--chunk-overlap must be at least 0 and below the window ({settings.Tokens} tokens), found {settings.Overlap}")
        : settings;

    /// <summary>A document's chunks, as documents of their own: ids <c>docid#n</c>, the title in each, the metadata in each.</summary>
    public IReadOnlyList<ChunkDocument> Split(CorpusDocument document, EncoderDefinition encoder)
    {
        var window = Tokens;
        if (FillModelWindow && document.Title.Length > 0)
        {
            window = Math.Max(MinimumWindow, Tokens - encoder.Analyzer.Terms(document.Title).Count);
        }

        var overlap = Math.Min(Overlap, window - 1);
        return DocumentChunker.Split(document.Text, encoder.Analyzer, window, overlap).Select(chunk => new ChunkDocument(
            new CorpusDocument(ChunkIds.Of(document.Id, chunk.Ordinal), document.Title, document.Text[chunk.Start..chunk.End]) { Metadata = document.Metadata },
            document, chunk)).ToArray();
    }
}

/// <summary>One chunk ready to encode: as a document, with the document it came from and its place in that document's text.</summary>
public sealed record ChunkDocument(CorpusDocument Document, CorpusDocument Source, TextChunk Chunk)
{
    public string Parent => Source.Id;
}

/// <summary>Chunk ids as Anserini's MaxP runs write them: <c>docid#n</c>; the parent is what precedes the last '#'.</summary>
public static class ChunkIds
{
    public static string Of(string parent, int ordinal) => $"{parent}#{ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    public static string Parent(string chunkId)
    {
        var hash = chunkId.LastIndexOf('#');
        return hash < 0 ? chunkId : chunkId[..hash];
    }
}
