using System.Net;
using System.Net.Security;
using System.Security.Authentication;

namespace Oie.Host.Tests.Web;

/// <summary>tls_server_config over real TLS: a test CA, a server certificate for 127.0.0.1, a client certificate.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    private string Config(string extra = "") => _pki.WriteConfig(
        $"tls_server_config:\n  cert_file: {_pki.ServerCertFile}\n  key_file: server.key\n{extra}");

    [Fact]
    public async Task Scrapes_over_https_with_the_test_ca_and_plain_http_gets_gos_400()
    {
        await using var app = await WebApp.StartAsync(Config());
        Assert.StartsWith("https://127.0.0.1:", app.BaseUrl);
        using var https = _pki.NewHttpClient();
        var response = await https.GetAsync(app.BaseUrl + "/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("oie_", await response.Content.ReadAsStringAsync());

        // Issue 15: plain HTTP to the TLS port was dropped without a word; Go's server answers 400 with this text.
        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        using var refused = await plain.GetAsync(app.BaseUrl.Replace("https://", "http://") + "/metrics");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("Client sent an HTTP request to an HTTPS server.\n", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await https.GetAsync(app.BaseUrl + "/metrics")).StatusCode);
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_ca_refuses_the_server()
    {
        await using var app = await WebApp.StartAsync(Config());
        using var systemTrust = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => systemTrust.GetAsync(app.BaseUrl + "/metrics"));
    }

    [Fact]
    public async Task Require_and_verify_client_cert_refuses_a_client_without_one_and_serves_one_with_it()
    {
        await using var app = await WebApp.StartAsync(Config(
            $"  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: {_pki.CaFile}\n"));
        using (var without = _pki.NewHttpClient())
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => without.GetAsync(app.BaseUrl + "/metrics"));
        using var with = _pki.NewHttpClient(presentClientCertificate: true);
        Assert.Equal(HttpStatusCode.OK, (await with.GetAsync(app.BaseUrl + "/metrics")).StatusCode);
    }

    [Fact]
    public async Task Min_version_tls13_refuses_a_tls12_only_client()
    {
        await using var app = await WebApp.StartAsync(Config("  min_version: TLS13\n"));
        using (var tls12 = _pki.NewHttpClient(protocols: SslProtocols.Tls12))
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => tls12.GetAsync(app.BaseUrl + "/"));
        using var tls13 = _pki.NewHttpClient(protocols: SslProtocols.Tls13);
        Assert.Equal(HttpStatusCode.OK, (await tls13.GetAsync(app.BaseUrl + "/")).StatusCode);
    }

    [Fact]
    public void A_client_certificate_from_another_ca_or_without_client_usage_is_not_trusted()
    {
        using var other = new TestPki();
        var cas = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection(_pki.Ca);
        Assert.True(Oie.Host.Web.KestrelTls.IsTrusted(_pki.Client, cas));
        Assert.False(Oie.Host.Web.KestrelTls.IsTrusted(other.Client, cas));
        Assert.False(Oie.Host.Web.KestrelTls.IsTrusted(_pki.Server, cas)); // serverAuth only
    }

    [Fact]
    public async Task Client_allowed_sans_admit_a_certificate_with_a_listed_san_and_refuse_others()
    {
        var ca = $"  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: {_pki.CaFile}\n";
        await using (var allowed = await WebApp.StartAsync(Config(ca + "  client_allowed_sans:\n    - grafana\n    - prometheus\n")))
        {
            using var client = _pki.NewHttpClient(presentClientCertificate: true);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(allowed.BaseUrl + "/metrics")).StatusCode);
        }
        await using var refused = await WebApp.StartAsync(Config(ca + "  client_allowed_sans: [grafana, 127.0.0.1]\n"));
        using var other = _pki.NewHttpClient(presentClientCertificate: true);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => other.GetAsync(refused.BaseUrl + "/metrics"));
    }

    [Fact]
    public void The_san_reader_sees_dns_ip_email_and_uri_names()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=x", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        var san = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        san.AddDnsName("node1.example");
        san.AddIpAddress(IPAddress.Parse("192.0.2.9"));
        san.AddIpAddress(IPAddress.Parse("2001:db8::1"));
        san.AddEmailAddress("ops@example.org");
        san.AddUri(new Uri("spiffe://cluster/prometheus"));
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1));
        Assert.Equal(["node1.example", "192.0.2.9", "2001:db8::1", "ops@example.org", "spiffe://cluster/prometheus"],
            Oie.Host.Web.KestrelTls.SubjectAltNames(certificate));
    }

    [Fact]
    public async Task Cipher_suites_limit_what_tls12_negotiates()
    {
        await using var app = await WebApp.StartAsync(Config(
            "  max_version: TLS12\n  cipher_suites:\n    - TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384\n"));
        var port = new Uri(app.BaseUrl).Port;
        Assert.Equal(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, await Handshake(port, null));
        await Assert.ThrowsAnyAsync<Exception>(() => Handshake(port, [TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]));
    }

    private async Task<TlsCipherSuite> Handshake(int port, TlsCipherSuite[]? offered)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        var options = new SslClientAuthenticationOptions { TargetHost = "127.0.0.1", EnabledSslProtocols = SslProtocols.Tls12 };
        if (offered is not null && OperatingSystem.IsLinux())
            options.CipherSuitesPolicy = new CipherSuitesPolicy(offered);
        await tls.AuthenticateAsClientAsync(options);
        return tls.NegotiatedCipherSuite;
    }

    [Fact]
    public async Task Http2_is_served_over_tls_unless_http_server_config_turns_it_off()
    {
        async Task<Version> Negotiated(string extra)
        {
            await using var app = await WebApp.StartAsync(Config(extra));
            using var client = _pki.NewHttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, app.BaseUrl + "/") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return response.Version;
        }

        Assert.Equal(HttpVersion.Version20, await Negotiated(""));
        Assert.Equal(HttpVersion.Version11, await Negotiated("http_server_config:\n  http2: false\n"));
    }

    [Fact]
    public async Task Configured_headers_are_on_every_response_the_401_included()
    {
        var alice = BCrypt.Net.BCrypt.HashPassword("s3cret", 4);
        await using var app = await WebApp.StartAsync(_pki.WriteConfig(
            $"http_server_config:\n  headers:\n    X-Frame-Options: deny\n    Content-Security-Policy: \"default-src 'self'\"\n" +
            $"basic_auth_users:\n  alice: {alice}\n"));
        using var http = new HttpClient();
        using var response = await http.GetAsync(app.BaseUrl + "/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("deny", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Rate_limit_answers_429_once_the_burst_is_spent()
    {
        await using var app = await WebApp.StartAsync(_pki.WriteConfig("rate_limit:\n  interval: 1h\n  burst: 2\n"));
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(app.BaseUrl + "/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(app.BaseUrl + "/")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await http.GetAsync(app.BaseUrl + "/")).StatusCode);
    }
}
