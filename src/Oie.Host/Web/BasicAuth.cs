using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Oie.Host.Web;

/// <summary>
/// <c>basic_auth_users</c>: every request needs a user and password matching a bcrypt hash, else 401 with a Basic
/// challenge. bcrypt is slow by design, so successful checks are remembered, keyed by user and a SHA-256 of the
/// password (never the password itself), in a small bounded cache. A request that brings credentials which do not
/// match is counted in <c>oie_exporter_http_auth_failures_total</c> and logged (throttled per user and address); one
/// that brings none is the usual first step of a client and only gets the challenge.
/// </summary>
internal sealed partial class BasicAuth(IReadOnlyDictionary<string, string> users, Counter? failures = null, ILogger? logger = null)
{
    public const string Challenge = "Basic realm=\"openstack_instance_exporter\"";
    internal const int CacheCapacity = 256;
    private static readonly object AuthenticatedKey = new();
    private readonly ConcurrentDictionary<string, bool> _verified = new(StringComparer.Ordinal);

    /// <summary>Number of bcrypt verifications run, for tests of the cache.</summary>
    public int Verifications => Volatile.Read(ref _verifications);
    private int _verifications;

    /// <summary>True when an earlier middleware authenticated this request with basic auth.</summary>
    public static bool IsAuthenticated(HttpContext context) => context.Items.ContainsKey(AuthenticatedKey);

    public Task Invoke(HttpContext context, RequestDelegate next)
    {
        var header = context.Request.Headers.Authorization;
        var parsed = TryGetCredentials(header, out var user, out var password);
        if (parsed && Check(user, password))
        {
            context.Items[AuthenticatedKey] = user;
            return next(context);
        }
        if (parsed || header.Count > 0)
        {
            failures?.Inc();
            if (logger is not null)
                LogFailed(logger, parsed ? Printable(user) : "(malformed Authorization header)", context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = Challenge;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("Unauthorized\n");
    }

    public bool Check(string user, string password)
    {
        if (!users.TryGetValue(user, out var hash))
        {
            // Spend the same bcrypt time as for a known user, so response times do not reveal which user names exist.
            foreach (var any in users.Values)
            {
                VerifyOrFalse(password, any);
                break;
            }
            return false;
        }
        var key = user + ":" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(password)));
        if (_verified.ContainsKey(key))
            return true;
        Interlocked.Increment(ref _verifications);
        var valid = VerifyOrFalse(password, hash);
        if (valid)
        {
            if (_verified.Count >= CacheCapacity)
                _verified.Clear();
            _verified[key] = true;
        }
        return valid;
    }

    internal static bool TryGetCredentials(string? header, out string user, out string password)
    {
        user = password = "";
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return false;
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(header[6..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        var text = Encoding.UTF8.GetString(bytes);
        var colon = text.IndexOf(':');
        if (colon < 0)
            return false;
        user = text[..colon];
        password = text[(colon + 1)..];
        return true;
    }

    /// <summary>The user name as sent, cut to 64 characters: it is the client's text.</summary>
    private static string Printable(string user) => user.Length <= 64 ? user : user[..64] + "...";

    [LoggerMessage(Level = LogLevel.Warning, Message = "basic auth failed for user {User} from {Remote}")]
    private static partial void LogFailed(ILogger logger, string user, string remote);

    private static bool VerifyOrFalse(string password, string hash)
    {
        try
        {
            return BCrypt.Net.BCrypt.Verify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }
}
