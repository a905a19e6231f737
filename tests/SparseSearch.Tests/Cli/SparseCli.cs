using SparseSearch.Cli;

namespace SparseSearch.Tests.Cli;

/// <summary>The <c>sparse</c> command run in process, as the tests call it: exit code and captured stdout and stderr.</summary>
public static class SparseCli
{
    public static async Task<(int Exit, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await Program.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
