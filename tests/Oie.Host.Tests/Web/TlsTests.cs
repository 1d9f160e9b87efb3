using System.Net;
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
    public async Task Scrapes_over_https_with_the_test_ca_and_plain_http_is_refused()
    {
        await using var app = await WebApp.StartAsync(Config());
        Assert.StartsWith("https://127.0.0.1:", app.BaseUrl);
        using var https = _pki.NewHttpClient();
        var response = await https.GetAsync(app.BaseUrl + "/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("oie_", await response.Content.ReadAsStringAsync());

        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync(app.BaseUrl.Replace("https://", "http://") + "/metrics"));
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
}
