using System.Net.Security;
using System.Security.Authentication;
using Oie.Host.Web;

namespace Oie.Host.Tests.Web;

/// <summary>
/// The exporter-toolkit's own files (fixtures/exporter-toolkit: its documented example and the web/testdata files its
/// tests read): every file it accepts parses here, to what the file says; every file it refuses is refused, naming the
/// key. The hand-written YAML subset refused most of the good ones (cipher_suites, curve_preferences, max_version,
/// http_server_config, client_allowed_sans, inline cert/key, rate_limit).
/// </summary>
public class WebConfigToolkitExampleTests
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "fixtures", "exporter-toolkit");

    private static WebConfig Parse(string name) =>
        WebConfigParser.Parse(File.ReadAllText(Path.Combine(Directory, name)), name, Directory);

    [Theory]
    [InlineData("web-config.yml")]
    [InlineData("web_config_noAuth.good.yml")]
    [InlineData("web_config_noAuth_allCiphers.good.yml")]
    [InlineData("web_config_noAuth_someCiphers.good.yml")]
    [InlineData("web_config_noAuth_someCiphers_noOrder.good.yml")]
    [InlineData("web_config_noAuth_allCurves.good.yml")]
    [InlineData("web_config_noAuth_someCurves.good.yml")]
    [InlineData("web_config_noAuth_noHTTP2.good.yml")]
    [InlineData("web_config_noAuth_tlsInline.good.yml")]
    [InlineData("web_config_headers.good.yml")]
    [InlineData("web_config_auth_client_san.good.yaml")]
    [InlineData("web_config_users.good.yml")]
    [InlineData("web_config_users_noTLS.good.yml")]
    [InlineData("web_config_rate_limiter_one_second.yaml")]
    public void Every_file_the_toolkit_accepts_parses(string name) => Parse(name);

    [Theory]
    [InlineData("web_config_junk_key.yml", "web_config_junk_key.yml:2: unknown key \"tls_server_config.cert_filse\"")]
    [InlineData("web_config_noAuth_wrongTLSVersion.bad.yml", ":5: tls_server_config.min_version: unknown TLS version \"TLS111\"")]
    [InlineData("web_config_noAuth_inventedCiphers.bad.yml", ":6: tls_server_config.cipher_suites: unknown cipher \"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA2048\"")]
    [InlineData("web_config_noAuth_inventedCurves.bad.yml", ":6: tls_server_config.curve_preferences: unknown curve \"CurveP257\"")]
    [InlineData("web_config_headers_extra_header.bad.yml", ":3: http_server_config.headers: HTTP header \"Content-Type\" can not be configured")]
    [InlineData("web_config_headers_frame_options.bad.yml", ":3: http_server_config.headers.X-Frame-Options: invalid value \"foo\"")]
    [InlineData("web_config_headers_content_type_options.bad.yml", ":3: http_server_config.headers.X-Content-Type-Options: invalid value \"sniff\"")]
    [InlineData("web_config_noAuth_certPath_empty.bad.yml", ":1: tls_server_config: cert_file (or cert) is missing")]
    [InlineData("web_config_noAuth_keyPath_empty.bad.yml", ":1: tls_server_config: key_file (or key) is missing")]
    public void Every_file_the_toolkit_refuses_is_refused_naming_the_key(string name, string message) =>
        Assert.Contains(message, Assert.Throws<WebConfigException>(() => Parse(name)).Message);

    [Fact]
    public void The_documented_example_sets_tls_users_and_the_rate_limit()
    {
        var config = Parse("web-config.yml");
        Assert.Equal(Path.Combine(Directory, "server.crt"), config.Tls!.CertFile!.Path);
        Assert.Equal(["alice", "bob"], config.BasicAuthUsers.Keys.Order());
        Assert.Equal(new RateLimitConfig(TimeSpan.FromSeconds(1), 20), config.RateLimit);
    }

    [Fact]
    public void Cipher_suites_versions_and_http2_are_read()
    {
        Assert.Equal(13, Parse("web_config_noAuth_allCiphers.good.yml").Tls!.CipherSuites.Count);
        var some = Parse("web_config_noAuth_someCiphers_noOrder.good.yml").Tls!;
        Assert.Equal([TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256], some.CipherSuites);
        Assert.Equal(SslProtocols.Tls12, some.Protocols);
        Assert.False(some.PreferServerCipherSuites);
        Assert.Contains(some.Ignored, i => i.StartsWith("tls_server_config.prefer_server_cipher_suites is ignored", StringComparison.Ordinal));
        var noHttp2 = Parse("web_config_noAuth_noHTTP2.good.yml");
        Assert.False(noHttp2.Http.Http2);
        Assert.Equal(SslProtocols.Tls12, noHttp2.Tls!.Protocols);
        Assert.True(Parse("web_config_noAuth.good.yml").Http.Http2);
    }

    [Fact]
    public void Curves_are_validated_and_reported_as_ignored()
    {
        var tls = Parse("web_config_noAuth_someCurves.good.yml").Tls!;
        Assert.Equal(["CurveP521"], tls.CurvePreferences);
        Assert.Equal(SslProtocols.Tls13, tls.Protocols);
        Assert.Contains(tls.Ignored, i => i.StartsWith("tls_server_config.curve_preferences (CurveP521) is ignored", StringComparison.Ordinal));
        Assert.Equal(4, Parse("web_config_noAuth_allCurves.good.yml").Tls!.CurvePreferences.Count);
    }

    [Fact]
    public void Headers_allowed_sans_and_the_rate_limit_are_read()
    {
        var headers = Parse("web_config_headers.good.yml").Http.Headers;
        Assert.Equal(5, headers.Count);
        Assert.Contains(new KeyValuePair<string, string>("X-XSS-Protection", "1"), headers);
        Assert.Contains(new KeyValuePair<string, string>("Content-Security-Policy", "default-src 'self' *.test.example.net"), headers);
        var san = Parse("web_config_auth_client_san.good.yaml").Tls!;
        Assert.Equal(["one", "test3", "two"], san.ClientAllowedSans);
        Assert.Equal(ClientAuth.RequireAndVerifyClientCert, san.ClientAuth);
        Assert.Equal(new RateLimitConfig(TimeSpan.FromSeconds(1), 0), Parse("web_config_rate_limiter_one_second.yaml").RateLimit);
    }

    [Fact]
    public void The_toolkits_inline_and_file_certificates_load()
    {
        var inline = WebConfigLoader.Load(Path.Combine(Directory, "web_config_noAuth_tlsInline.good.yml"));
        Assert.True(inline.ServerCertificate!.HasPrivateKey);
        Assert.Contains("CN=localhost", inline.ServerCertificate.Subject, StringComparison.Ordinal);
        var files = WebConfigLoader.Load(Path.Combine(Directory, "web_config_auth_client_san.good.yaml"));
        Assert.True(files.ServerCertificate!.HasPrivateKey);
        Assert.Single(files.ClientCas!);
    }
}
