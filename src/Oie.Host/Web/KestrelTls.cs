using System.Formats.Asn1;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Oie.Host.Web;

/// <summary>Serves a Kestrel endpoint over TLS as <c>tls_server_config</c> says: certificate, versions, TLS 1.2 cipher
/// suites, the client certificate policy (verified against the client CA alone, not the system store, where it asks for
/// that) and the allowed client SANs; <c>http_server_config.http2: false</c> keeps it to HTTP/1.1.</summary>
internal static class KestrelTls
{
    public const string LogCategory = Logging.LogLevelSwitch.TlsCategory;
    private const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";
    private const string SubjectAltNameOid = "2.5.29.17";

    /// <summary>TLS 1.3's suites: Go offers them all whatever cipher_suites says (it only configures TLS 1.2 and below),
    /// while OpenSSL's policy covers both, so they are added to the configured list.</summary>
    private static readonly TlsCipherSuite[] Tls13Suites =
        [TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256];

    public static void Apply(ListenOptions listen, LoadedWebConfig web)
    {
        if (web.Config.Tls is not { } tls)
            return;
        if (!web.Config.Http.Http2)
            listen.Protocols = HttpProtocols.Http1;
        var cipherSuites = CipherSuitesPolicy(tls);
        ILogger? logger = null;
        listen.Use(PlainHttpOnTlsPort.Middleware(() =>
            logger ??= listen.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory)));
        listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = web.ServerCertificate,
            SslProtocols = tls.Protocols,
            ClientCertificateMode = tls.ClientAuth switch
            {
                ClientAuth.NoClientCert => ClientCertificateMode.NoCertificate,
                ClientAuth.RequestClientCert or ClientAuth.VerifyClientCertIfGiven => ClientCertificateMode.AllowCertificate,
                _ => ClientCertificateMode.RequireCertificate,
            },
            // Kestrel calls this only when a client presented a certificate.
            ClientCertificateValidation = (certificate, _, _) =>
                (!tls.VerifiesClientCert || IsTrusted(certificate, web.ClientCas)) &&
                (tls.ClientAllowedSans.Count == 0 || HasAllowedSan(certificate, tls.ClientAllowedSans)),
            OnAuthenticate = cipherSuites is null ? null : (_, options) => options.CipherSuitesPolicy = cipherSuites,
        });
    }

    /// <summary>The configured TLS 1.2 suites plus TLS 1.3's; null (OpenSSL's defaults) when none are configured.</summary>
    private static CipherSuitesPolicy? CipherSuitesPolicy(TlsServerConfig tls)
    {
        if (tls.CipherSuites.Count == 0 || !OperatingSystem.IsLinux())
            return null;
        return new CipherSuitesPolicy(tls.CipherSuites.Where(s => !Tls13Suites.Contains(s)).Concat(Tls13Suites));
    }

    /// <summary>True when <paramref name="certificate"/> chains to one of <paramref name="cas"/> (none: the system's
    /// roots, as Go's nil ClientCAs) and may authenticate a client.</summary>
    internal static bool IsTrusted(X509Certificate2 certificate, X509Certificate2Collection? cas)
    {
        using var chain = new X509Chain();
        if (cas is not null)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(cas);
        }
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(ClientAuthenticationOid));
        return chain.Build(certificate);
    }

    /// <summary>The toolkit's check: one of the certificate's DNS, e-mail, IP or URI SANs equals an allowed entry.</summary>
    internal static bool HasAllowedSan(X509Certificate2 certificate, IReadOnlyList<string> allowed) =>
        SubjectAltNames(certificate).Any(san => allowed.Contains(san, StringComparer.Ordinal));

    /// <summary>The DNS names, e-mail addresses, IP addresses (as Go prints them) and URIs of the SAN extension.</summary>
    internal static IEnumerable<string> SubjectAltNames(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != SubjectAltNameOid)
                continue;
            try
            {
                var sequence = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
                while (sequence.HasData)
                {
                    var tag = sequence.PeekTag();
                    if (tag.TagClass != TagClass.ContextSpecific)
                    {
                        sequence.ReadEncodedValue();
                        continue;
                    }
                    switch (tag.TagValue)
                    {
                        case 1 or 2 or 6: // rfc822Name, dNSName, uniformResourceIdentifier (IA5String)
                            names.Add(sequence.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                            break;
                        case 7: // iPAddress
                            var bytes = sequence.ReadOctetString(tag);
                            if (bytes.Length is 4 or 16)
                                names.Add(new IPAddress(bytes) is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4().ToString() : new IPAddress(bytes).ToString());
                            break;
                        default:
                            sequence.ReadEncodedValue();
                            break;
                    }
                }
            }
            catch (AsnContentException)
            {
                // A malformed SAN extension matches nothing.
            }
        }
        return names;
    }
}
