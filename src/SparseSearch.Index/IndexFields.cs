namespace SparseSearch.Index;

/// <summary>Lucene field names shared by the writers and searchers.</summary>
public static class IndexFields
{
    /// <summary>External document id: indexed (for replace and delete by id), stored, and a binary doc value for fast lookup.</summary>
    public const string Id = "id";

    /// <summary>Impact postings: one posting per (term, document) whose frequency is the quantized weight.</summary>
    public const string Impacts = "imp";

    /// <summary>Analysed text for Lucene's own BM25 (the reference index only).</summary>
    public const string Contents = "contents";

    public const string Title = "title";
    public const string Text = "text";

    /// <summary>In a chunked index, each chunk's document id (indexed: replace and delete remove every chunk of a document).</summary>
    public const string Parent = "parent";

    /// <summary>In a chunked index, the chunk's number within its document as a trie number (the first-P passages filter).</summary>
    public const string ChunkOrdinal = "chunk";

    /// <summary>In a chunked index, the chunk's character range "start end" in its document's text (stored; snippets).</summary>
    public const string Span = "span";

    /// <summary>In a shard of a cluster, the record's position in the corpus (stored; ties between shards' hits).</summary>
    public const string Sequence = "seq";

    /// <summary>The document's metadata object as compact JSON (stored only; its values are indexed under the prefixes below).</summary>
    public const string Metadata = "metadata";

    /// <summary>Keyword metadata values, one field per metadata field: <c>k.year</c>, <c>k.tags</c>.</summary>
    public const string KeywordPrefix = "k.";

    /// <summary>Numeric metadata values as Lucene trie terms (<see cref="Filters.MetadataTerms"/>): <c>n.year</c>.</summary>
    public const string NumericPrefix = "n.";
}
