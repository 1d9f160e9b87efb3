using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Oie.Host.Web;

/// <summary>
/// <c>basic_auth_users</c>: every request needs a user and password matching a bcrypt hash, else 401 with a Basic
/// challenge. bcrypt is slow by design, so successful checks are remembered, keyed by user and a SHA-256 of the
/// password (never the password itself), in a small bounded cache.
/// </summary>
internal sealed class BasicAuth(IReadOnlyDictionary<string, string> users)
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
        if (TryGetCredentials(context.Request.Headers.Authorization, out var user, out var password) && Check(user, password))
        {
            context.Items[AuthenticatedKey] = user;
            return next(context);
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
