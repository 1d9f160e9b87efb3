using System.Globalization;
using System.Net;

namespace Oie.Host.CommandLine;

/// <summary>A Go-style listen address: <c>host:port</c>, <c>:port</c> (all interfaces), <c>[v6]:port</c>.</summary>
internal sealed record ListenAddress(string Host, int Port)
{
    public static string? Parse(string text, out ListenAddress value)
    {
        value = new ListenAddress("", 0);
        var colon = text.LastIndexOf(':');
        if (colon < 0)
            return "want host:port, e.g. 0.0.0.0:9120 or :9120";
        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
            host = host[1..^1];
        else if (host.Contains(':'))
            return "an IPv6 host must be in brackets, e.g. [::1]:9120";
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            return "port must be a number from 0 to 65535";
        if (host.Length > 0 && host != "localhost" && !IPAddress.TryParse(host, out _) &&
            Uri.CheckHostName(host) != UriHostNameType.Dns)
        {
            return $"\"{host}\" is not a host name or IP address";
        }

        value = new ListenAddress(host, port);
        return null;
    }

    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
