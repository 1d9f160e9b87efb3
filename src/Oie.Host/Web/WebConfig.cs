using System.Security.Authentication;

namespace Oie.Host.Web;

/// <summary>A file the web config names, resolved against the config file's directory, with the line naming it.</summary>
internal sealed record ConfigFile(string Path, int Line);

/// <summary>The exporter-toolkit client_auth_type values (Go's tls.ClientAuthType names).</summary>
internal enum ClientAuth
{
    NoClientCert,
    RequestClientCert,
    RequireAnyClientCert,
    VerifyClientCertIfGiven,
    RequireAndVerifyClientCert,
}

/// <summary><c>tls_server_config</c>: the server's PEM certificate and key, the client certificate policy and the
/// lowest TLS version served.</summary>
internal sealed record TlsServerConfig(ConfigFile CertFile, ConfigFile KeyFile, ClientAuth ClientAuth, ConfigFile? ClientCaFile,
    SslProtocols Protocols)
{
    public bool RequiresClientCert => ClientAuth is ClientAuth.RequireAnyClientCert or ClientAuth.RequireAndVerifyClientCert;
    public bool VerifiesClientCert => ClientAuth is ClientAuth.VerifyClientCertIfGiven or ClientAuth.RequireAndVerifyClientCert;
}

/// <summary>The parsed <c>-web.config.file</c>: TLS when <see cref="Tls"/> is set, basic auth when
/// <see cref="BasicAuthUsers"/> is not empty (user name → bcrypt hash).</summary>
internal sealed record WebConfig(TlsServerConfig? Tls, IReadOnlyDictionary<string, string> BasicAuthUsers)
{
    public static readonly WebConfig None = new(null, new Dictionary<string, string>());
}
