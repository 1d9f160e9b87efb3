using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Oie.Host.Web;

/// <summary>Serves a Kestrel endpoint over TLS as <c>tls_server_config</c> says: certificate, lowest version, and the
/// client certificate policy, verified against client_ca_file alone (not the system store) where it asks for that.</summary>
internal static class KestrelTls
{
    private const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    public static void Apply(ListenOptions listen, LoadedWebConfig web)
    {
        if (web.Config.Tls is not { } tls)
            return;
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
            ClientCertificateValidation = tls.VerifiesClientCert
                ? (certificate, _, _) => IsTrusted(certificate, web.ClientCas!)
                : (_, _, _) => true,
        });
    }

    /// <summary>True when <paramref name="certificate"/> chains to one of <paramref name="cas"/> and may authenticate a client.</summary>
    internal static bool IsTrusted(X509Certificate2 certificate, X509Certificate2Collection cas)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(cas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(ClientAuthenticationOid));
        return chain.Build(certificate);
    }
}
