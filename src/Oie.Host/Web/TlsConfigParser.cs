using System.Net.Security;
using System.Security.Authentication;
using YamlDotNet.RepresentationModel;

namespace Oie.Host.Web;

/// <summary><c>tls_server_config</c> of the exporter-toolkit web config, every key its documentation lists.</summary>
internal static class TlsConfigParser
{
    private static readonly string[] Keys =
    [
        "cert", "key", "client_ca", "cert_file", "key_file", "client_auth_type", "client_ca_file", "client_allowed_sans",
        "min_version", "max_version", "cipher_suites", "prefer_server_cipher_suites", "curve_preferences",
    ];

    /// <summary>Go's tls.CipherSuites() names, the ones the toolkit accepts (the insecure ones it refuses are not here).</summary>
    internal static readonly Dictionary<string, TlsCipherSuite> CipherSuites = new(StringComparer.Ordinal)
    {
        ["TLS_RSA_WITH_AES_128_CBC_SHA"] = TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
        ["TLS_RSA_WITH_AES_256_CBC_SHA"] = TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA,
        ["TLS_RSA_WITH_AES_128_GCM_SHA256"] = TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
        ["TLS_RSA_WITH_AES_256_GCM_SHA384"] = TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
        ["TLS_AES_128_GCM_SHA256"] = TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        ["TLS_AES_256_GCM_SHA384"] = TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        ["TLS_CHACHA20_POLY1305_SHA256"] = TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        ["TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        ["TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
        ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
        ["TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
        ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        ["TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        ["TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        ["TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        ["TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    };

    private static readonly string[] Curves = ["CurveP256", "CurveP384", "CurveP521", "X25519"];

    private enum Version { Tls10 = 10, Tls11 = 11, Tls12 = 12, Tls13 = 13 }

    public static TlsServerConfig? Parse(WebConfigYaml yaml, YamlMappingNode mapping, int line, string baseDirectory)
    {
        if (mapping.Children.Count == 0)
            return null;
        ConfigFile? certFile = null, keyFile = null, caFile = null;
        InlinePem? cert = null, key = null, ca = null;
        var clientAuth = ClientAuth.NoClientCert;
        (Version Value, int Line) min = (Version.Tls12, line), max = (Version.Tls13, line);
        IReadOnlyList<string> sans = [];
        var sansLine = line;
        var suites = new List<TlsCipherSuite>();
        var curves = new List<string>();
        bool? preferServer = null;
        var ignored = new List<string>();
        foreach (var (name, value, at) in yaml.Entries(mapping, "tls_server_config"))
        {
            var path = "tls_server_config." + name;
            switch (name)
            {
                case "cert_file": certFile = File(yaml, value, path, baseDirectory); break;
                case "key_file": keyFile = File(yaml, value, path, baseDirectory); break;
                case "client_ca_file": caFile = File(yaml, value, path, baseDirectory); break;
                case "cert": cert = Inline(yaml, value, path); break;
                case "key": key = Inline(yaml, value, path); break;
                case "client_ca": ca = Inline(yaml, value, path); break;
                case "client_auth_type":
                    var text = yaml.String(value, path);
                    clientAuth = text.Length == 0 ? ClientAuth.NoClientCert
                        : Enum.TryParse<ClientAuth>(text, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) && !char.IsAsciiDigit(text[0]) ? parsed
                        : throw yaml.Error(at, $"{path}: unknown value \"{text}\": want one of " +
                            "NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert");
                    break;
                case "client_allowed_sans":
                    sansLine = at;
                    sans = [.. yaml.Strings(value, path).Select(s => s.Value)];
                    break;
                case "min_version": min = (ParseVersion(yaml, value, path) ?? Version.Tls12, at); break;
                case "max_version": max = (ParseVersion(yaml, value, path) ?? Version.Tls13, at); break;
                case "cipher_suites":
                    foreach (var (suite, suiteLine) in yaml.Strings(value, path))
                    {
                        suites.Add(CipherSuites.TryGetValue(suite, out var known) ? known
                            : throw yaml.Error(suiteLine, $"{path}: unknown cipher \"{suite}\" (Go's crypto/tls names, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)"));
                    }

                    break;
                case "prefer_server_cipher_suites":
                    preferServer = yaml.Bool(value, path);
                    ignored.Add($"{path} is ignored: the TLS library chooses among the allowed cipher suites (Go 1.17 and later ignore it too)");
                    break;
                case "curve_preferences":
                    foreach (var (curve, curveLine) in yaml.Strings(value, path))
                    {
                        curves.Add(Curves.Contains(curve, StringComparer.Ordinal) ? curve
                            : throw yaml.Error(curveLine, $"{path}: unknown curve \"{curve}\": want one of {string.Join(", ", Curves)}"));
                    }

                    if (curves.Count > 0)
                        ignored.Add($"{path} ({string.Join(", ", curves)}) is ignored: .NET cannot set a TLS server's key exchange groups; OpenSSL's defaults apply");
                    break;
                default:
                    throw yaml.Error(at, $"unknown key \"{path}\": want one of {string.Join(", ", Keys)}");
            }
        }
        if (certFile is not null && cert is not null)
            throw yaml.Error(cert.Line, "tls_server_config: cert and cert_file are both set: give the certificate one way");
        if (keyFile is not null && key is not null)
            throw yaml.Error(key.Line, "tls_server_config: key and key_file are both set: give the key one way");
        if (caFile is not null && ca is not null)
            throw yaml.Error(ca.Line, "tls_server_config: client_ca and client_ca_file are both set: give the client CA one way");
        if (certFile is null && cert is null)
            throw yaml.Error(line, "tls_server_config: cert_file (or cert) is missing");
        if (keyFile is null && key is null)
            throw yaml.Error(line, "tls_server_config: key_file (or key) is missing");
        var protocols = Protocols(yaml, min, max, ignored);
        var config = new TlsServerConfig(certFile, keyFile, clientAuth, caFile, protocols)
        {
            Cert = cert,
            Key = key,
            ClientCa = ca,
            ClientAllowedSans = sans,
            CipherSuites = suites,
            CurvePreferences = curves,
            PreferServerCipherSuites = preferServer,
            Ignored = ignored,
        };
        if (suites.Count > 0 && !protocols.HasFlag(SslProtocols.Tls12))
            ignored.Add("tls_server_config.cipher_suites only concern TLS 1.2 and below, which max_version/min_version leave out: they have no effect");
        if (config.HasClientCa && clientAuth == ClientAuth.NoClientCert)
        {
            throw yaml.Error((caFile?.Line ?? ca!.Line),
                "tls_server_config: client_ca_file is set but client_auth_type NoClientCert does not ask for client certificates " +
                "(use RequireAndVerifyClientCert or VerifyClientCertIfGiven)");
        }

        if (sans.Count > 0 && !config.RequiresClientCert)
        {
            throw yaml.Error(sansLine, $"tls_server_config.client_allowed_sans needs client_auth_type RequireAnyClientCert or " +
                $"RequireAndVerifyClientCert: with {clientAuth} a client may send no certificate, leaving no SAN to check");
        }

        return config;
    }

    private static SslProtocols Protocols(WebConfigYaml yaml, (Version Value, int Line) min, (Version Value, int Line) max, List<string> ignored)
    {
        if (max.Value < min.Value)
            throw yaml.Error(max.Line, $"tls_server_config: max_version TLS{(int)max.Value} is below min_version TLS{(int)min.Value}");
        if (max.Value < Version.Tls12)
        {
            throw yaml.Error(max.Line, $"tls_server_config.max_version: TLS{(int)max.Value} leaves nothing to serve: " +
                "TLS 1.0 and 1.1 are obsolete and not offered; want TLS12 or TLS13");
        }

        if (min.Value < Version.Tls12)
            ignored.Add($"tls_server_config.min_version TLS{(int)min.Value} is served as TLS12: TLS 1.0 and 1.1 are obsolete and not offered");
        var protocols = SslProtocols.None;
        if (min.Value <= Version.Tls12)
            protocols |= SslProtocols.Tls12;
        if (max.Value == Version.Tls13)
            protocols |= SslProtocols.Tls13;
        return protocols;
    }

    private static Version? ParseVersion(WebConfigYaml yaml, YamlNode value, string path) => yaml.String(value, path) switch
    {
        "" => null,
        "TLS10" => Version.Tls10,
        "TLS11" => Version.Tls11,
        "TLS12" => Version.Tls12,
        "TLS13" => Version.Tls13,
        var other => throw yaml.Error(value, $"{path}: unknown TLS version \"{other}\": want TLS10, TLS11, TLS12 or TLS13"),
    };

    /// <remarks>A NUL (a quoted "\0" or "\u0000") would make <see cref="Path.GetFullPath(string, string)"/> throw.</remarks>
    private static ConfigFile? File(WebConfigYaml yaml, YamlNode node, string path, string baseDirectory)
    {
        var value = yaml.String(node, path);
        return value.Length == 0 ? null
            : value.Contains('\0') ? throw yaml.Error(node, $"{path}: the path contains a NUL character")
            : new ConfigFile(Path.GetFullPath(value, baseDirectory), (int)node.Start.Line);
    }

    private static InlinePem? Inline(WebConfigYaml yaml, YamlNode node, string path) =>
        yaml.String(node, path) is { Length: > 0 } text ? new InlinePem(text, (int)node.Start.Line) : null;
}
