using System.Net.Security;
using System.Security.Authentication;

namespace Oie.Host.Web;

/// <summary>A file the web config names, resolved against the config file's directory, with the line naming it.</summary>
internal sealed record ConfigFile(string Path, int Line);

/// <summary>PEM text given inline (<c>cert</c>, <c>key</c>, <c>client_ca</c>) rather than by file, with the line giving it.</summary>
internal sealed record InlinePem(string Text, int Line);

/// <summary>The exporter-toolkit client_auth_type values (Go's tls.ClientAuthType names).</summary>
internal enum ClientAuth
{
    NoClientCert,
    RequestClientCert,
    RequireAnyClientCert,
    VerifyClientCertIfGiven,
    RequireAndVerifyClientCert,
}

/// <summary>
/// <c>tls_server_config</c>: the server's PEM certificate and key (a file or inline), the client certificate policy, the
/// TLS versions served and the TLS 1.2 cipher suites (empty: the TLS library's defaults). What Kestrel cannot apply
/// (<c>curve_preferences</c>, <c>prefer_server_cipher_suites</c>) is kept so that start-up can say it is ignored.
/// </summary>
internal sealed record TlsServerConfig(ConfigFile? CertFile, ConfigFile? KeyFile, ClientAuth ClientAuth, ConfigFile? ClientCaFile,
    SslProtocols Protocols)
{
    public InlinePem? Cert { get; init; }
    public InlinePem? Key { get; init; }
    public InlinePem? ClientCa { get; init; }
    public IReadOnlyList<string> ClientAllowedSans { get; init; } = [];
    public IReadOnlyList<TlsCipherSuite> CipherSuites { get; init; } = [];
    public IReadOnlyList<string> CurvePreferences { get; init; } = [];
    public bool? PreferServerCipherSuites { get; init; }

    /// <summary>What was asked that cannot be served, as messages for the start-up log (at error level).</summary>
    public IReadOnlyList<string> Ignored { get; init; } = [];

    public bool RequiresClientCert => ClientAuth is ClientAuth.RequireAnyClientCert or ClientAuth.RequireAndVerifyClientCert;
    public bool VerifiesClientCert => ClientAuth is ClientAuth.VerifyClientCertIfGiven or ClientAuth.RequireAndVerifyClientCert;
    public bool HasClientCa => ClientCaFile is not null || ClientCa is not null;
}

/// <summary><c>http_server_config</c>: HTTP/2 on or off (TLS only, as in Go) and the extra response headers.</summary>
internal sealed record HttpServerConfig(bool Http2, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public static readonly HttpServerConfig Default = new(true, []);
}

/// <summary><c>rate_limit</c>: a token bucket of <see cref="Burst"/> tokens, one more every <see cref="Interval"/>;
/// an interval of 0 (the default) turns it off.</summary>
internal sealed record RateLimitConfig(TimeSpan Interval, int Burst)
{
    public static readonly RateLimitConfig Off = new(TimeSpan.Zero, 0);
    public bool Enabled => Interval > TimeSpan.Zero;
}

/// <summary>The parsed <c>-web.config.file</c>: TLS when <see cref="Tls"/> is set, basic auth when
/// <see cref="BasicAuthUsers"/> is not empty (user name → bcrypt hash).</summary>
internal sealed record WebConfig(TlsServerConfig? Tls, IReadOnlyDictionary<string, string> BasicAuthUsers)
{
    public static readonly WebConfig None = new(null, new Dictionary<string, string>());

    public HttpServerConfig Http { get; init; } = HttpServerConfig.Default;
    public RateLimitConfig RateLimit { get; init; } = RateLimitConfig.Off;
}
