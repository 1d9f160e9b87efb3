using System.Text;

namespace Oie.Zones;

/// <summary>An OVSDB server's unix socket, as ovs-vsctl's <c>--db=unix:PATH</c> spells it.</summary>
public readonly record struct OvsdbEndpoint(string SocketPath)
{
    /// <summary>Where Debian's and Ubuntu's openvswitch-switch and the OpenStack deployment tools put it.</summary>
    public const string Default = "unix:/run/openvswitch/db.sock";

    private const string Scheme = "unix:";

    /// <summary>sun_path holds 108 bytes, the terminating NUL included.</summary>
    private const int MaxPathBytes = 107;

    /// <summary>
    /// Parses <c>unix:PATH</c> with an absolute PATH (the only form supported: the exporter runs on the node). Returns
    /// null on success, or an error text suitable for "-ovs.db: &lt;error&gt;".
    /// </summary>
    public static string? TryParse(string text, out OvsdbEndpoint endpoint)
    {
        endpoint = default;
        if (string.IsNullOrWhiteSpace(text))
            return $"is empty; expected unix:/path/to/db.sock, e.g. {Default}";
        if (!text.StartsWith(Scheme, StringComparison.Ordinal))
        {
            var scheme = text.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? text[..(colon + 1)] : null;
            return scheme is "tcp:" or "ssl:" or "punix:" or "ptcp:" or "pssl:"
                ? $"{scheme} endpoints are not supported, only the node's local socket: unix:/path/to/db.sock, e.g. {Default}"
                : $"\"{text}\" is not unix:/path/to/db.sock (e.g. {Default})";
        }
        var path = text[Scheme.Length..];
        if (!path.StartsWith('/'))
            return $"\"{text}\": the socket path must be absolute, e.g. {Default}";
        if (path.Contains('\0', StringComparison.Ordinal))
            return $"\"{text}\": the socket path contains a NUL character";
        if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
            return $"\"{text}\": the socket path is longer than a unix socket address allows ({MaxPathBytes} bytes)";
        endpoint = new OvsdbEndpoint(path);
        return null;
    }

    public override string ToString() => Scheme + SocketPath;
}
