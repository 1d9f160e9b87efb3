using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Oie.Host.Logging;

namespace Oie.Host.Http;

/// <summary>
/// <c>/debug/log-level</c>, the seed's run-time switch with the Go exporter's answers: without a level (or with an empty
/// <c>level=</c>) it reads, <c>current log level: N</c> (0 error, 1 info, 2 debug), from anywhere;
/// <c>?level=error|info|debug</c> (any case) sets it, by POST and (seed compatibility) by GET, answering
/// <c>log level set to LEVEL</c>, from a loopback address or, when <c>basic_auth_users</c> is configured, by an
/// authenticated user from anywhere. A change is refused when a browser could have made it for a page: an
/// <c>Origin</c> header other than the exporter's own, or a <c>Host</c> that is not an address the exporter listens on
/// (a DNS-rebinding name). Every change is logged, never throttled.
/// </summary>
internal sealed partial class LogLevelEndpoint(LogLevelSwitch levels, ILogger<LogLevelSwitch> logger)
{
    public const string Path = "/debug/log-level";

    public Task Handle(HttpContext context)
    {
        var request = context.Request;
        var isGet = HttpMethods.IsGet(request.Method);
        if (!isGet && !HttpMethods.IsPost(request.Method))
        {
            context.Response.Headers.Allow = "GET, POST";
            return Reply(context, StatusCodes.Status405MethodNotAllowed, "method not allowed: use GET or POST, with ?level= to set");
        }
        // Go's r.URL.Query().Get("level"): the first value; absent or empty is a read, by GET or POST.
        var requested = request.Query.TryGetValue("level", out var values) && values.Count > 0 ? values[0] ?? "" : "";
        if (requested.Length == 0)
        {
            return Reply(context, StatusCodes.Status200OK,
                "current log level: " + levels.Number.ToString(CultureInfo.InvariantCulture));
        }
        var remote = context.Connection.RemoteIpAddress is { IsIPv4MappedToIPv6: true } mapped
            ? mapped.MapToIPv4()
            : context.Connection.RemoteIpAddress;
        if (!IsLoopback(remote) && !Web.BasicAuth.IsAuthenticated(context))
        {
            LogRefused(remote?.ToString() ?? "unknown");
            return Reply(context, StatusCodes.Status403Forbidden,
                "the log level can only be changed from a loopback address or by a basic-auth user (-web.config.file)");
        }
        if (ForeignRequest(context) is { } foreign)
        {
            LogRefusedForeign(remote?.ToString() ?? "unknown", foreign);
            return Reply(context, StatusCodes.Status403Forbidden, $"refused: {foreign}; the level is unchanged. " +
                "Change it with a plain HTTP client (curl) to the address the exporter listens on, not from a web page");
        }
        // Unlike Go (which set error and answered "log level set to <the typo>"), an unknown level is refused.
        if (LogLevelSwitch.Parse(requested, out var level) is not null)
        {
            return Reply(context, StatusCodes.Status400BadRequest,
                $"invalid level \"{requested}\": want one of {LogLevelSwitch.ValidNames}; the level is unchanged");
        }
        var previous = levels.Level;
        levels.Level = level;
        LogChanged(LogLevelSwitch.Name(previous), LogLevelSwitch.Name(level), remote!.ToString());
        // Go's answer, naming the level as it was asked for (case-insensitive: "INFO" is info).
        return Reply(context, StatusCodes.Status200OK, "log level set to " + requested);
    }

    /// <summary>Why the request looks like a browser's on behalf of another site, or null: an <c>Origin</c> that is not
    /// <c>scheme://Host</c> of this request, or a <c>Host</c> naming neither the address the connection came in on,
    /// nor localhost on a loopback connection, nor one of this machine's names.</summary>
    internal static string? ForeignRequest(HttpContext context)
    {
        var request = context.Request;
        var host = request.Host;
        if (!host.HasValue)
            return "the request has no Host header";
        var local = context.Connection.LocalIpAddress is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : context.Connection.LocalIpAddress;
        var port = host.Port ?? (request.IsHttps ? 443 : 80);
        var name = host.Host.Trim('[', ']');
        var hostIsOurs = port == context.Connection.LocalPort && (
            IPAddress.TryParse(name, out var address)
                ? local is not null && (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).Equals(local)
                : name.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IsLoopback(local)
                : OwnNames.Value.Contains(name));
        if (!hostIsOurs)
            return $"Host \"{Truncate(host.Value)}\" is not an address this exporter listens on";
        if (request.Headers.Origin is { Count: > 0 } origins)
        {
            var own = $"{request.Scheme}://{host.Value}";
            foreach (var origin in origins)
            {
                if (!string.Equals(origin, own, StringComparison.OrdinalIgnoreCase))
                    return $"Origin \"{Truncate(origin ?? "")}\" is not this exporter's ({own})";
            }
        }
        return null;
    }

    /// <summary>This machine's names: its host name and the fully qualified name the resolver gives it (looked up once,
    /// on the first change asked for; a resolver that fails leaves the short name).</summary>
    private static readonly Lazy<HashSet<string>> OwnNames = new(() =>
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Dns.GetHostName(), Environment.MachineName };
        try
        {
            names.Add(Dns.GetHostEntry(Dns.GetHostName()).HostName);
        }
        catch (System.Net.Sockets.SocketException)
        {
        }
        return names;
    });

    private static string Truncate(string text) => text.Length <= 100 ? text : text[..100] + "...";

    /// <summary>127.0.0.0/8, ::1 and IPv4-mapped 127.0.0.0/8; an unknown peer (no IP: a Unix socket) is not loopback.</summary>
    internal static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    private static Task Reply(HttpContext context, int status, string text)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        var body = System.Text.Encoding.UTF8.GetBytes(text + "\n");
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }

    [LoggerMessage(Level = LogLevel.Warning, EventName = ThrottlingLoggerProvider.AuditEventName, Message = "log level changed from {From} to {To} by {Remote}")]
    private partial void LogChanged(string from, string to, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "refused a log level change from {Remote}: only loopback or an authenticated user may change it")]
    private partial void LogRefused(string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "refused a log level change from {Remote}: {Reason}")]
    private partial void LogRefusedForeign(string remote, string reason);
}
