using System.CommandLine;
using SparseSearch.Index.Approximate;

namespace SparseSearch.Cli;

/// <summary><c>index --approximate</c> and its build knobs (defaults from <see cref="ApproximateIndexSettings"/>).</summary>
internal sealed class ApproximateIndexFlags
{
    private readonly Option<bool> _enabled = new("--approximate")
    {
        Description = "also build approximate-search structures (forward index and pruned postings) with every segment of at least --approx-min-docs documents",
    };

    private readonly Option<double> _postings = new("--approx-postings")
    {
        Description = "fraction of a segment's documents kept per term in its pruned list (1 keeps every posting)",
        DefaultValueFactory = _ => new ApproximateIndexSettings().PostingsFraction,
    };

    private readonly Option<int> _minPostings = new("--approx-min-postings")
    {
        Description = "least postings kept per term",
        DefaultValueFactory = _ => new ApproximateIndexSettings().MinPostingsPerTerm,
    };

    private readonly Option<int> _minDocs = new("--approx-min-docs")
    {
        Description = "segments with fewer documents get no approximate structures and are searched exactly",
        DefaultValueFactory = _ => new ApproximateIndexSettings().MinSegmentDocuments,
    };

    public IEnumerable<Option> All => [_enabled, .. Knobs];

    /// <summary>The build knobs alone, for commands whose own <c>--approximate</c> turns them on (eval).</summary>
    public IEnumerable<Option> Knobs => [_postings, _minPostings, _minDocs];

    /// <summary>The settings, or null without <c>--approximate</c>; <paramref name="always"/> builds them regardless (the bench).</summary>
    public ApproximateIndexSettings? Read(ParseResult parse, bool always = false)
    {
        if (!always && !parse.GetValue(_enabled))
        {
            return null;
        }

        var settings = new ApproximateIndexSettings
        {
            PostingsFraction = parse.GetValue(_postings),
            MinPostingsPerTerm = parse.GetValue(_minPostings),
            MinSegmentDocuments = parse.GetValue(_minDocs),
        };
        settings.Validate();
        return settings;
    }
}

/// <summary><c>search</c>/<c>eval</c> <c>--approximate</c> and its query-time knobs (defaults from <see cref="ApproximateSearchSettings"/>).</summary>
internal sealed class ApproximateSearchFlags
{
    private readonly Option<bool> _enabled = new("--approximate")
    {
        Description = "search approximately where the index carries approximate structures (index --approximate); exact otherwise",
    };

    private readonly Option<string> _queryTerms = new("--approx-query-terms")
    {
        Description = "query terms (largest weight × impact first) whose pruned lists propose candidates, or 'all'",
        DefaultValueFactory = _ => ApproximateSearchSettings.Format(new ApproximateSearchSettings().QueryTerms),
    };

    private readonly Option<string> _candidates = new("--approx-candidates")
    {
        Description = "candidates scored exactly over all segments (best partial scores first), or 'all'",
        DefaultValueFactory = _ => ApproximateSearchSettings.Format(new ApproximateSearchSettings().Candidates),
    };

    public IEnumerable<Option> All => [_enabled, _queryTerms, _candidates];

    /// <summary>The settings, or null without <c>--approximate</c>.</summary>
    public ApproximateSearchSettings? Read(ParseResult parse)
    {
        if (!parse.GetValue(_enabled))
        {
            return null;
        }

        var settings = new ApproximateSearchSettings
        {
            QueryTerms = ApproximateSearchSettings.Parse(parse.GetValue(_queryTerms)!, "--approx-query-terms"),
            Candidates = ApproximateSearchSettings.Parse(parse.GetValue(_candidates)!, "--approx-candidates"),
        };
        settings.Validate();
        return settings;
    }
}
