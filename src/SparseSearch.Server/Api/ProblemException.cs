namespace SparseSearch.Server.Api;

/// <summary>A client error, answered as an RFC 7807 problem naming the offending field.</summary>
public sealed class ProblemException(int status, string title, string detail, string? field = null) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public string? Field { get; } = field;

    public static ProblemException Invalid(string field, string detail) => new(StatusCodes.Status400BadRequest, "Invalid request", detail, field);
}
