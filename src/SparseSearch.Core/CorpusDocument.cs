namespace SparseSearch.Core;

/// <summary>A document as collections deliver it (BEIR's <c>_id</c>, <c>title</c>, <c>text</c>).</summary>
public sealed record CorpusDocument(string Id, string Title, string Text)
{
    /// <summary>Title and text as one field, as Anserini's "flat" BEIR runs index them.</summary>
    public string FlatText => Title.Length == 0 ? Text : Text.Length == 0 ? Title : Title + " " + Text;

    /// <summary>The corpus line's <c>metadata</c> object, when it has one: filterable, stored and returned with hits.</summary>
    public DocumentMetadata? Metadata { get; init; }

    /// <summary>Its position in the corpus, set when a sharded build splits the corpus (stored with the document).</summary>
    public long? Sequence { get; init; }
}

/// <summary>A document that arrives already encoded (Anserini's JsonVectorCollection), or after encoding.</summary>
public sealed record EncodedDocument(string Id, string Title, string Text, SparseVector Vector)
{
    public DocumentMetadata? Metadata { get; init; }

    /// <inheritdoc cref="CorpusDocument.Sequence"/>
    public long? Sequence { get; init; }
}

/// <summary>A query of a test collection.</summary>
public sealed record QueryText(string Id, string Text);

/// <summary>One ranked result.</summary>
public sealed record Hit(string DocId, float Score);
