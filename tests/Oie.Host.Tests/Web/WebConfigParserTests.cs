using System.Security.Authentication;
using Oie.Host.Web;

namespace Oie.Host.Tests.Web;

/// <summary>The strict exporter-toolkit web config reader: the good file, and every error naming the line and the key.</summary>
public class WebConfigParserTests
{
    private const string Hash = "$2y$05$PYPQ46ScJBii3w.eADpTEOfarQ6iOieIHIlQNxGqEGXKEiT9ewrna";

    private static WebConfig Parse(string text) => WebConfigParser.Parse(text, "web.yml", "/etc/oie");

    private static string Error(string text) => Assert.Throws<WebConfigException>(() => Parse(text)).Message;

    [Fact]
    public void A_full_file_parses_with_comments_quotes_and_relative_paths()
    {
        var config = Parse($"""
            ---
            # TLS and auth
            tls_server_config:
              cert_file: /path/server.crt   # absolute
              key_file: 'server.key'
              client_auth_type: "RequireAndVerifyClientCert"
              client_ca_file: ca/ca.crt

              min_version: TLS13
            basic_auth_users:
              alice: {Hash}
              "bob smith": '{Hash}'
            """);
        var tls = config.Tls!;
        Assert.Equal(new ConfigFile("/path/server.crt", 4), tls.CertFile);
        Assert.Equal(new ConfigFile("/etc/oie/server.key", 5), tls.KeyFile);
        Assert.Equal(ClientAuth.RequireAndVerifyClientCert, tls.ClientAuth);
        Assert.Equal("/etc/oie/ca/ca.crt", tls.ClientCaFile!.Path);
        Assert.Equal(SslProtocols.Tls13, tls.Protocols);
        Assert.Equal(Hash, config.BasicAuthUsers["alice"]);
        Assert.Equal(Hash, config.BasicAuthUsers["bob smith"]);
    }

    [Fact]
    public void Defaults_are_no_client_cert_and_tls12_and_an_empty_file_means_nothing()
    {
        var tls = Parse("tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n").Tls!;
        Assert.Equal(ClientAuth.NoClientCert, tls.ClientAuth);
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, tls.Protocols);
        var empty = Parse("# nothing\n\ntls_server_config:\nbasic_auth_users:\n");
        Assert.Null(empty.Tls);
        Assert.Empty(empty.BasicAuthUsers);
    }

    [Theory]
    [InlineData("tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS12\n", SslProtocols.Tls12 | SslProtocols.Tls13)]
    [InlineData("tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS13\n", SslProtocols.Tls13)]
    [InlineData("tls_server_config:\n  cert_file: a\n  key_file: b\n  max_version: TLS12\n", SslProtocols.Tls12)]
    [InlineData("tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS10\n", SslProtocols.Tls12 | SslProtocols.Tls13)]
    public void Min_version_sets_the_protocols(string text, SslProtocols expected) => Assert.Equal(expected, Parse(text).Tls!.Protocols);

    [Theory]
    [InlineData("tls_config:\n  cert_file: a\n", "web.yml:1: unknown key \"tls_config\"")]
    [InlineData("tls_server_config:\n  cert_file: a\n  key_file: b\n  cert_filse: x\n", "web.yml:4: unknown key \"tls_server_config.cert_filse\"")]
    [InlineData("http_server_config:\n  http3: true\n", "web.yml:2: unknown key \"http_server_config.http3\"")]
    [InlineData("rate_limit:\n  every: 1s\n", "web.yml:2: unknown key \"rate_limit.every\"")]
    [InlineData("tls_server_config:\n  cert_file: a\n   key_file: b\n", "web.yml:3: invalid YAML")]
    [InlineData("tls_server_config: a\n  cert_file: a\n", "web.yml:2: invalid YAML")]
    [InlineData("tls_server_config:\n\tcert_file: a\n", "web.yml:1: invalid YAML: While scanning a")]
    [InlineData("tls_server_config:\n  cert_file: a\n  cert_file: b\n", "web.yml:3: duplicate key \"cert_file\"")]
    [InlineData("basic_auth_users:\n  a: " + Hash + "\nbasic_auth_users:\n", "web.yml:3: duplicate key \"basic_auth_users\"")]
    [InlineData("tls_server_config:\n  key_file: b\n", "web.yml:1: tls_server_config: cert_file (or cert) is missing")]
    [InlineData("tls_server_config:\n  cert_file: a\n", "web.yml:1: tls_server_config: key_file (or key) is missing")]
    [InlineData("tls_server_config:\n  cert_file: \"\"\n  key_file: b\n", "web.yml:1: tls_server_config: cert_file (or cert) is missing")]
    [InlineData("tls_server_config:\n  cert_file: a\n  cert: x\n  key_file: b\n", "web.yml:3: tls_server_config: cert and cert_file are both set")]
    [InlineData("tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: Sometimes\n", "web.yml:4: tls_server_config.client_auth_type: unknown value \"Sometimes\"")]
    [InlineData("tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: 4\n", "web.yml:4: tls_server_config.client_auth_type: unknown value \"4\"")]
    [InlineData("tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: SSL3\n", "web.yml:4: tls_server_config.min_version: unknown TLS version \"SSL3\"")]
    [InlineData("tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS13\n  max_version: TLS12\n", "web.yml:5: tls_server_config: max_version TLS12 is below min_version TLS13")]
    [InlineData("tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS10\n  max_version: TLS11\n", "web.yml:5: tls_server_config.max_version: TLS11 leaves nothing to serve")]
    [InlineData("tls_server_config:\n  cert_file: a\n  key_file: b\n  cipher_suites: TLS_AES_128_GCM_SHA256\n", "web.yml:4: tls_server_config.cipher_suites must be a list")]
    [InlineData("tls_server_config:\n  cert_file: a\n  key_file: b\n  cipher_suites:\n  - TLS_RSA_WITH_RC4_128_SHA\n", "web.yml:5: tls_server_config.cipher_suites: unknown cipher \"TLS_RSA_WITH_RC4_128_SHA\"")]
    [InlineData("tls_server_config:\n  cert_file: a\n  key_file: b\n  prefer_server_cipher_suites: maybe\n", "web.yml:4: tls_server_config.prefer_server_cipher_suites: \"maybe\" is not a boolean")]
    [InlineData("tls_server_config:\n  cert_file: a\n  key_file: b\n  client_ca_file: ca\n", "web.yml:4: tls_server_config: client_ca_file is set but client_auth_type NoClientCert")]
    [InlineData("tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: VerifyClientCertIfGiven\n  client_allowed_sans: [a]\n", "web.yml:5: tls_server_config.client_allowed_sans needs client_auth_type RequireAnyClientCert or RequireAndVerifyClientCert")]
    [InlineData("http_server_config:\n  http2: 1\n", "web.yml:2: http_server_config.http2: \"1\" is not a boolean")]
    [InlineData("http_server_config:\n  headers:\n    Server: x\n", "web.yml:3: http_server_config.headers: HTTP header \"Server\" can not be configured")]
    [InlineData("rate_limit:\n  interval: soon\n", "web.yml:2: rate_limit.interval: \"soon\" is not a duration")]
    [InlineData("rate_limit:\n  interval: 1s\n  burst: -1\n", "web.yml:3: rate_limit.burst: must not be negative")]
    [InlineData("rate_limit:\n  burst: many\n", "web.yml:2: rate_limit.burst: \"many\" is not an integer")]
    [InlineData("basic_auth_users:\n  alice: secret\n", "web.yml:2: basic_auth_users.alice: not a bcrypt hash")]
    [InlineData("basic_auth_users:\n  alice: $1$abc$0123456789012345678901\n", "web.yml:2: basic_auth_users.alice: not a bcrypt hash")]
    [InlineData("basic_auth_users:\n  alice: $2x$05$PYPQ46ScJBii3w.eADpTEOfarQ6iOieIHIlQNxGqEGXKEiT9ewrna\n", "web.yml:2: basic_auth_users.alice: not a bcrypt hash")]
    [InlineData("basic_auth_users:\n  alice:\n", "web.yml:2: basic_auth_users.alice: not a bcrypt hash")]
    [InlineData("basic_auth_users: alice\n", "web.yml:1: basic_auth_users must be a mapping")]
    [InlineData("basic_auth_users:\n  'a:b': " + Hash + "\n", "web.yml:2: basic_auth_users: invalid user name \"a:b\"")]
    [InlineData("tls_server_config:\n  cert_file: \"a\n", "web.yml:2: invalid YAML")]
    [InlineData("tls_server_config:\n  cert_file: \"a\" b\n", "web.yml:2: invalid YAML")]
    [InlineData("tls_server_config:\n  cert_file: \"a\\q\"\n", "web.yml:2: invalid YAML")]
    [InlineData("tls_server_config:\n  cert_file: [a, b]\n", "web.yml:2: tls_server_config.cert_file must be a single value, not a list")]
    [InlineData("tls_server_config:\n  cert_file: a: b\n", "web.yml:2: invalid YAML")]
    [InlineData("tls_server_config:\n  cert_file: *nowhere\n", "web.yml:1: invalid YAML: The anchor 'nowhere'")]
    [InlineData("- a\n", "web.yml:1: the web config must be a mapping")]
    [InlineData("just text\n", "web.yml:1: the web config must be a mapping")]
    [InlineData("tls_server_config:\n  cert_file:a\n", "web.yml:2: tls_server_config must be a mapping")]
    [InlineData("basic_auth_users:\n  alice:\n    x: y\n", "web.yml:3: basic_auth_users.alice must be a single value, not a mapping")]
    [InlineData("a: 1\n---\nb: 2\n", "web.yml:3: more than one YAML document")]
    [InlineData("tls_server_config: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n", "web.yml:1: nested more than 16 levels deep")]
    public void Invalid_files_name_the_line_and_the_problem(string text, string message) => Assert.StartsWith(message, Error(text));

    /// <summary>The representation model loads nested nodes recursively: without the depth check this overflowed the stack.</summary>
    [Fact]
    public void Hostile_nesting_is_an_error_not_a_stack_overflow() =>
        Assert.StartsWith("web.yml:1: nested more than 16 levels deep", Error("a: " + new string('[', 200_000)));

    [Fact]
    public void Double_quoted_escapes_and_single_quote_doubling_are_decoded()
    {
        var tls = Parse("tls_server_config:\n  cert_file: \"/a\\\"b\\\\c\\u0041\"\n  key_file: '/it''s'\n").Tls!;
        Assert.Equal("/a\"b\\cA", tls.CertFile!.Path);
        Assert.Equal("/it's", tls.KeyFile!.Path);
    }

    [Theory]
    [InlineData("$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", true)]
    [InlineData("$2b$12$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", true)]
    [InlineData(Hash, true)]
    [InlineData("$2y$03$PYPQ46ScJBii3w.eADpTEOfarQ6iOieIHIlQNxGqEGXKEiT9ewrna", false)]
    [InlineData("$2y$05$PYPQ46ScJBii3w.eADpTEOfarQ6iOieIHIlQNxGqEGXKEiT9ewrn", false)]
    [InlineData("$2y$05$PYPQ46ScJBii3w.eADpTEOfarQ6iOieIHIlQNxGqEGXKEiT9ewrn!", false)]
    public void Bcrypt_hash_shape(string hash, bool valid) => Assert.Equal(valid, Bcrypt.IsHash(hash));
}
