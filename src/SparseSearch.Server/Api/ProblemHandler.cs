using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Timeouts;
using SparseSearch.Core;

namespace SparseSearch.Server.Api;

/// <summary>
/// Turns every failure into an RFC 7807 problem body: client errors keep their status and name the field, a request
/// that overran its timeout is a 503, and anything unexpected is a 500 that says only that — never a stack trace.
/// </summary>
internal sealed class ProblemHandler(IProblemDetailsService problems, ILogger<ProblemHandler> logger) : IExceptionHandler
{
    private static string TitleOf(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "Payload too large",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
        StatusCodes.Status408RequestTimeout => "Request timeout",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => "Request header fields too large",
        _ => "Bad request",
    };

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, field) = exception switch
        {
            ProblemException p => (p.Status, p.Title, p.Message, p.Field),
            BadHttpRequestException b => (b.StatusCode, TitleOf(b.StatusCode), b.Message, null),
            SparseSearchException s => (StatusCodes.Status400BadRequest, "Invalid request", s.Message, null),
            System.Text.Json.JsonException or System.Text.DecoderFallbackException => (StatusCodes.Status400BadRequest, "Invalid request", "malformed JSON or text: " + exception.Message, "body"),
            OperationCanceledException when context.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true =>
                (StatusCodes.Status503ServiceUnavailable, "Request timed out", "the request took longer than the server's request timeout", null),
            _ => (StatusCodes.Status500InternalServerError, "Internal error", "the server failed to handle the request; see its log", (string?)null),
        };
        if (status >= 500)
        {
            logger.LogError(exception, "Request {Method} {Path} failed", context.Request.Method, context.Request.Path);
        }

        context.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        if (field is not null)
        {
            problem.Extensions["field"] = field;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }
}
