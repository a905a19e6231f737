using System.Net;
using System.Security.Cryptography;
using SparseSearch.Core;
using SparseSearch.Server.Api;

namespace SparseSearch.Server.Security;

/// <summary>
/// Read and write API keys. A request presents one as <c>Authorization: Bearer KEY</c> or <c>X-API-Key: KEY</c>; the
/// write key also reads. Keys are compared as SHA-256 digests in constant time and never logged. With no keys the API
/// is open, which is allowed only when every address the server listens on is loopback: anyone who reaches a public
/// port could otherwise rewrite the index.
/// </summary>
public sealed class ApiKeys
{
    private readonly byte[]? _read;
    private readonly byte[]? _write;

    private ApiKeys(string? read, string? write)
    {
        _read = read is null ? null : Digest(read);
        _write = write is null ? null : Digest(write);
    }

    public bool Enabled => _read is not null || _write is not null;

    /// <summary>Keys from the flags' files or else the environment; refuses an open API on a non-loopback address.</summary>
    public static ApiKeys Load(string? readKeyFile, string? writeKeyFile, string urls)
    {
        var keys = new ApiKeys(
            ReadKey(readKeyFile, "--read-key-file") ?? NonEmpty(Environment.GetEnvironmentVariable(ReadKeyVariable)),
            ReadKey(writeKeyFile, "--write-key-file") ?? NonEmpty(Environment.GetEnvironmentVariable(WriteKeyVariable)));
        var exposed = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(u => !IsLoopback(u)).ToArray();
        if (exposed.Length > 0 && (keys._read is null || keys._write is null))
        {
            throw new InvalidSettingException(
                $"listening on {string.Join(", ", exposed)} (not loopback) needs both a read and a write API key: set {ReadKeyVariable} and {WriteKeyVariable}, or --read-key-file and --write-key-file");
        }

        return keys;
    }

    public const string ReadKeyVariable = "SPARSESEARCH_READ_KEY";
    public const string WriteKeyVariable = "SPARSESEARCH_WRITE_KEY";

    public static ApiKeys None { get; } = new(null, null);

    public static ApiKeys Of(string? read, string? write) => new(read, write);

    /// <summary>
    /// Throws a 401 problem without a known key, a 403 one when the read key asks to write. Without a read key, reads
    /// need no key (a loopback server may protect only its writes).
    /// </summary>
    public void Authorize(HttpRequest request, bool write)
    {
        if (write ? _write is null : _read is null)
        {
            return;
        }

        var presented = Presented(request)
            ?? throw new ProblemException(StatusCodes.Status401Unauthorized, "Unauthorized",
                "this server needs an API key: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'", "Authorization");
        var digest = Digest(presented);
        var isWrite = _write is not null && CryptographicOperations.FixedTimeEquals(digest, _write);
        var isRead = _read is not null && CryptographicOperations.FixedTimeEquals(digest, _read);
        if (!isWrite && !isRead)
        {
            throw new ProblemException(StatusCodes.Status401Unauthorized, "Unauthorized", "the API key is not valid", "Authorization");
        }

        if (write && !isWrite)
        {
            throw new ProblemException(StatusCodes.Status403Forbidden, "Forbidden", "this key may only read; writes need the write key", "Authorization");
        }
    }

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-API-Key", out var header) && header.Count > 0)
        {
            return header[0];
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }

    private static byte[] Digest(string key) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));

    private static string? ReadKey(string? file, string flag)
    {
        if (file is null)
        {
            return null;
        }

        if (!File.Exists(file))
        {
            throw new MissingInputException($"{flag}: file not found: {file}");
        }

        return NonEmpty(File.ReadAllText(file).Trim()) ?? throw new InvalidSettingException($"{flag}: {file} is empty");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static bool IsLoopback(string url)
    {
        var probe = url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0");
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }
}
