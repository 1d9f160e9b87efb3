using System.Security.Authentication;

namespace Oie.Host.Web;

/// <summary>
/// Turns the text of a web config file (exporter-toolkit format) into a <see cref="WebConfig"/>: unknown keys, unknown
/// client_auth_type or min_version, inconsistent TLS settings and non-bcrypt hashes are errors naming the line. Files are
/// only named here; <see cref="WebConfigLoader"/> opens them.
/// </summary>
internal static class WebConfigParser
{
    private static readonly string[] TlsKeys = ["cert_file", "key_file", "client_auth_type", "client_ca_file", "min_version"];

    public static WebConfig Parse(string text, string source, string baseDirectory)
    {
        TlsServerConfig? tls = null;
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in YamlSubset.Read(text, source))
        {
            switch (entry.Key)
            {
                case "tls_server_config":
                    tls = ParseTls(Mapping(entry, source), entry.Line, source, baseDirectory);
                    break;
                case "basic_auth_users":
                    foreach (var user in Mapping(entry, source))
                    {
                        if (user.Key.Length == 0 || user.Key.Contains(':'))
                            throw YamlSubset.Error(source, user.Line, $"basic_auth_users: invalid user name \"{user.Key}\" (empty or containing ':')");
                        if (!Bcrypt.IsHash(user.Scalar!))
                            throw YamlSubset.Error(source, user.Line,
                                $"basic_auth_users.{user.Key}: not a bcrypt hash (want $2a$, $2b$ or $2y$, cost and 53 characters, as htpasswd -nbB makes)");
                        users.Add(user.Key, user.Scalar!);
                    }
                    break;
                default:
                    throw YamlSubset.Error(source, entry.Line,
                        $"unknown key \"{entry.Key}\": want tls_server_config or basic_auth_users");
            }
        }
        return new WebConfig(tls, users);
    }

    private static IReadOnlyList<YamlEntry> Mapping(YamlEntry entry, string source) =>
        entry.Children ?? (entry.Scalar!.Length == 0
            ? []
            : throw YamlSubset.Error(source, entry.Line, $"{entry.Key} must be a mapping (keys indented below it), not a value"));

    private static TlsServerConfig? ParseTls(IReadOnlyList<YamlEntry> entries, int line, string source, string baseDirectory)
    {
        if (entries.Count == 0)
            return null;
        ConfigFile? cert = null, key = null, ca = null;
        var clientAuth = ClientAuth.NoClientCert;
        var clientAuthLine = line;
        var protocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        foreach (var entry in entries)
        {
            var value = entry.Scalar!;
            switch (entry.Key)
            {
                case "cert_file":
                    cert = File(value, entry.Line, source, entry.Key, baseDirectory);
                    break;
                case "key_file":
                    key = File(value, entry.Line, source, entry.Key, baseDirectory);
                    break;
                case "client_ca_file":
                    ca = File(value, entry.Line, source, entry.Key, baseDirectory);
                    break;
                case "client_auth_type":
                    clientAuthLine = entry.Line;
                    clientAuth = value switch
                    {
                        "" or "NoClientCert" => ClientAuth.NoClientCert,
                        "RequestClientCert" => ClientAuth.RequestClientCert,
                        "RequireAnyClientCert" => ClientAuth.RequireAnyClientCert,
                        "VerifyClientCertIfGiven" => ClientAuth.VerifyClientCertIfGiven,
                        "RequireAndVerifyClientCert" => ClientAuth.RequireAndVerifyClientCert,
                        _ => throw YamlSubset.Error(source, entry.Line, $"tls_server_config.client_auth_type: unknown value \"{value}\": want one of " +
                            "NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert"),
                    };
                    break;
                case "min_version":
                    protocols = value switch
                    {
                        "" or "TLS12" => SslProtocols.Tls12 | SslProtocols.Tls13,
                        "TLS13" => SslProtocols.Tls13,
                        "TLS10" or "TLS11" => throw YamlSubset.Error(source, entry.Line,
                            $"tls_server_config.min_version: {value} is not supported (TLS 1.0 and 1.1 are obsolete): want TLS12 or TLS13"),
                        _ => throw YamlSubset.Error(source, entry.Line,
                            $"tls_server_config.min_version: unknown value \"{value}\": want TLS12 or TLS13"),
                    };
                    break;
                default:
                    throw YamlSubset.Error(source, entry.Line,
                        $"unknown key \"tls_server_config.{entry.Key}\": want one of {string.Join(", ", TlsKeys)}");
            }
        }
        if (cert is null)
            throw YamlSubset.Error(source, line, "tls_server_config: cert_file is missing");
        if (key is null)
            throw YamlSubset.Error(source, line, "tls_server_config: key_file is missing");
        var config = new TlsServerConfig(cert, key, clientAuth, ca, protocols);
        if (config.VerifiesClientCert && ca is null)
            throw YamlSubset.Error(source, clientAuthLine, $"tls_server_config: client_auth_type {clientAuth} needs client_ca_file");
        if (ca is not null && !config.VerifiesClientCert)
            throw YamlSubset.Error(source, ca.Line,
                $"tls_server_config: client_ca_file is set but client_auth_type {clientAuth} does not verify client certificates " +
                "(use VerifyClientCertIfGiven or RequireAndVerifyClientCert)");
        return config;
    }

    /// <remarks>A NUL (a quoted "\0" or "\u0000") would make <see cref="Path.GetFullPath(string, string)"/> throw.</remarks>
    private static ConfigFile? File(string value, int line, string source, string key, string baseDirectory) =>
        value.Length == 0 ? null
        : value.Contains('\0') ? throw YamlSubset.Error(source, line, $"tls_server_config.{key}: the path contains a NUL character")
        : new ConfigFile(Path.GetFullPath(value, baseDirectory), line);
}
