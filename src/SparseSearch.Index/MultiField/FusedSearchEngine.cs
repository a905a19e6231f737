using SparseSearch.Core;
using SparseSearch.Index.Filters;
using SparseSearch.Index.Impact;

namespace SparseSearch.Index.MultiField;

/// <summary>
/// Searches several fields of one multi-field index and fuses their rankings (<see cref="FieldFusion"/>). Each field
/// retrieves max(k, rank window) hits with its own encoder and the same filter; a hit's explain lists each field's rank,
/// score, normalized score and contribution (the contributions add up to the fused score).
/// </summary>
public sealed class FusedSearchEngine : ISearchEngine
{
    private readonly IReadOnlyList<(string Field, ISearchEngine Engine)> _fields;
    private readonly FusionSettings _settings;

    public FusedSearchEngine(IReadOnlyList<(string Field, ISearchEngine Engine)> fields, FusionSettings settings)
    {
        _fields = fields;
        _settings = settings;
    }

    /// <summary>The first field's manifest (each field keeps its own under fields/&lt;name&gt;).</summary>
    public IndexManifest Manifest => _fields[0].Engine.Manifest;

    public long DocumentCount => _fields[0].Engine.DocumentCount;

    public IReadOnlyList<string> Fields => _fields.Select(f => f.Field).ToArray();

    /// <summary>What runs and reports call this search: the fields and the fusion, e.g. <c>bm25+bm25-wp-rrf</c>.</summary>
    public string Label => $"{string.Join('+', Fields)}-{_settings.Method.ToString().ToLowerInvariant()}";

    public SparseVector EncodeQuery(string query) => SparseVector.Empty;

    public IReadOnlyList<Hit> Search(string query, int k, SearchFilter? filter = null) =>
        Fused(query, k, filter).Select(h => new Hit(h.Id, (float)h.Score)).ToArray();

    public IReadOnlyList<FusedHit> Fused(string query, int k, SearchFilter? filter = null)
    {
        var window = Math.Max(k, _settings.RankWindow);
        var rankings = _fields.Select(f => (f.Field, f.Engine.Search(query, window, filter))).ToArray();
        return FieldFusion.Fuse(rankings, _settings, k);
    }

    /// <summary>Titles, snippets and metadata come from the field that ranked the document highest (<see cref="FieldFusion.Describe"/>).</summary>
    public IReadOnlyList<DetailedHit> SearchDetailed(string query, int k, bool explain, SearchFilter? filter = null)
    {
        var window = Math.Max(k, _settings.RankWindow);
        return FieldFusion.Describe(_fields.Select(f => (f.Field, f.Engine.SearchDetailed(query, window, explain, filter))).ToArray(), _settings, k, explain);
    }

    public void Dispose()
    {
        foreach (var (_, engine) in _fields)
        {
            engine.Dispose();
        }
    }
}
