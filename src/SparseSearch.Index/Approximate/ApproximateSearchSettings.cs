using SparseSearch.Core;

namespace SparseSearch.Index.Approximate;

/// <summary>
/// Query-time knobs of approximate search (<c>--approximate</c>, HTTP <c>approximate</c>); each has a flag and this
/// default. At their exact ends (every query term, every candidate, over an index that keeps every posting) the result
/// equals exact search.
/// </summary>
public sealed record ApproximateSearchSettings
{
    public const int All = int.MaxValue;

    /// <summary>
    /// Query terms whose pruned lists propose candidates: those with the largest weight × segment maximum impact (the
    /// query-term cut of Seismic). Every query term still counts in the candidates' exact scores.
    /// </summary>
    public int QueryTerms { get; init; } = 12;

    /// <summary>
    /// Candidates (over all segments), best partial scores first, scored exactly through the forward index; never fewer
    /// than the hits asked for.
    /// </summary>
    public int Candidates { get; init; } = 1200;

    public void Validate()
    {
        if (QueryTerms < 1 || Candidates < 1)
        {
            throw new InvalidSettingException($"approximate search: query_terms and candidates must be ≥ 1 (got {QueryTerms}, {Candidates})");
        }
    }

    public override string ToString() =>
        $"query_terms={Format(QueryTerms)} candidates={Format(Candidates)}";

    /// <summary>A knob's value as the CLI and the bench write it: a count, or "all".</summary>
    public static string Format(int value) => value == All ? "all" : value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A knob's value as written by <see cref="Format"/>; <paramref name="name"/> names it in the error.</summary>
    public static int Parse(string text, string name) =>
        text.Equals("all", StringComparison.OrdinalIgnoreCase) ? All
        : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 1 ? value
        : throw new InvalidSettingException($"{name} must be a positive whole number or 'all', not '{text}'");
}
