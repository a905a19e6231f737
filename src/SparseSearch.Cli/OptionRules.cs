using System.CommandLine;
using System.CommandLine.Parsing;

namespace SparseSearch.Cli;

/// <summary>
/// One rule for every number a flag takes, so no command can forget it: counts, sizes and limits must be at least 1,
/// real numbers finite and positive; the exceptions are named here (a seed may be any integer, BM25's k1 may be 0, b and
/// fusion's alpha lie in [0, 1]). A value that breaks a rule is a parse error: one line on stderr, exit 2.
/// </summary>
internal static class OptionRules
{
    public static void Apply(Command command)
    {
        foreach (var option in command.Options)
        {
            Add(option);
        }

        foreach (var subcommand in command.Subcommands)
        {
            Apply(subcommand);
        }
    }

    private static void Add(Option option)
    {
        switch (option)
        {
            case Option<int> when option.Name == "--seed":
                break;
            case Option<int> integer when option.Name is "--chunk-overlap" or "--approx-min-docs":
                integer.Validators.Add(result => Check(result, () => result.GetValueOrDefault<int>() >= 0, "an integer ≥ 0"));
                break;
            case Option<int?> integer:
                integer.Validators.Add(result => Check(result, () => result.GetValueOrDefault<int?>() is not { } v || v >= 1, "an integer ≥ 1"));
                break;
            case Option<int> integer:
                integer.Validators.Add(result => Check(result, () => result.GetValueOrDefault<int>() >= 1, "an integer ≥ 1"));
                break;
            case Option<long> integer:
                integer.Validators.Add(result => Check(result, () => result.GetValueOrDefault<long>() >= 1, "an integer ≥ 1"));
                break;
            case Option<int[]> integers:
                integers.Validators.Add(result => Check(result, () => (result.GetValueOrDefault<int[]>() ?? []).All(v => v >= 1), "integers ≥ 1"));
                break;
            case Option<float> real when option.Name == "--k1":
                real.Validators.Add(result => Check(result, () => result.GetValueOrDefault<float>() is var v && float.IsFinite(v) && v >= 0, "a finite number ≥ 0"));
                break;
            case Option<float> real when option.Name == "--b":
                real.Validators.Add(result => Check(result, () => result.GetValueOrDefault<float>() is >= 0 and <= 1, "a number between 0 and 1"));
                break;
            case Option<float> real:
                real.Validators.Add(result => Check(result, () => result.GetValueOrDefault<float>() is var v && float.IsFinite(v) && v > 0, "a finite number > 0"));
                break;
            case Option<float?> real:
                real.Validators.Add(result => Check(result, () => result.GetValueOrDefault<float?>() is not { } v || (float.IsFinite(v) && v > 0), "a finite number > 0"));
                break;
            case Option<double> real when option.Name is "--alpha" or "--approx-postings":
                real.Validators.Add(result => Check(result, () => result.GetValueOrDefault<double>() is >= 0 and <= 1, "a number between 0 and 1"));
                break;
            case Option<double> real:
                real.Validators.Add(result => Check(result, () => result.GetValueOrDefault<double>() is var v && double.IsFinite(v) && v > 0, "a finite number > 0"));
                break;
        }
    }

    private static void Check(OptionResult result, Func<bool> valid, string expected)
    {
        bool ok;
        try
        {
            ok = valid();
        }
        catch (InvalidOperationException)
        {
            // The value did not convert at all ('--k abc'): the parser reports that error itself.
            return;
        }

        if (!ok)
        {
            var given = string.Join(' ', result.Tokens.Select(t => t.Value));
            result.AddError($"{result.Option.Name} must be {expected}, not '{given}'");
        }
    }
}
