using Oie.Host.Web;

namespace Oie.Host.Tests.Web;

/// <summary>A missing or invalid -web.config.file, or TLS files it names that cannot be used: a startup error, exit 1.</summary>
public sealed class WebConfigStartupTests : IDisposable
{
    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    private static Task<(int ExitCode, string Stdout, string Stderr)> Run(params string[] args) =>
        ProcessRunner.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "openstack_instance_exporter.dll"),
            "-web.listen-address=127.0.0.1:0", $"-libvirt.uri=test://{RepoPaths.SampleNode}", .. args]);

    [Fact]
    public async Task A_missing_config_file_exits_1_naming_the_path()
    {
        var path = Path.Combine(_pki.Directory, "absent.yml");
        var (exitCode, _, stderr) = await Run($"-web.config.file={path}");
        Assert.Equal(1, exitCode);
        Assert.Contains($"cannot start: -web.config.file {path}: not found: check the path", stderr);
    }

    [Fact]
    public async Task An_invalid_config_file_exits_1_naming_the_line_and_the_key()
    {
        var path = _pki.WriteConfig("# web\nbasic_auth_users:\n  alice: plaintext\n");
        var (exitCode, _, stderr) = await Run($"-web.config.file={path}");
        Assert.Equal(1, exitCode);
        Assert.Contains($"cannot start: {path}:3: basic_auth_users.alice: not a bcrypt hash", stderr);
    }

    [Fact]
    public void A_missing_cert_or_key_file_names_the_key_and_line()
    {
        var cert = _pki.WriteConfig("tls_server_config:\n  cert_file: nope.crt\n  key_file: server.key\n");
        Assert.Contains(":2: tls_server_config.cert_file: " + Path.Combine(_pki.Directory, "nope.crt") + ": not found: check the path",
            Assert.Throws<WebConfigException>(() => WebConfigLoader.Load(cert)).Message);
        var key = _pki.WriteConfig("tls_server_config:\n  cert_file: server.crt\n  key_file: nope.key\n");
        Assert.Contains(":3: tls_server_config.key_file: ", Assert.Throws<WebConfigException>(() => WebConfigLoader.Load(key)).Message);
    }

    /// <summary>Issue 15: these read as the runtime's resource keys in the AOT binary (Cryptography_X509_NoOrMismatchedPemKey,
    /// UnauthorizedAccess_IODenied_Path); now each says which key and file, what is wrong and what to do.</summary>
    [Fact]
    public void A_key_that_does_not_match_or_an_unreadable_ca_is_refused_in_words()
    {
        File.WriteAllText(Path.Combine(_pki.Directory, "garbage.pem"), "not a certificate\n");
        using var other = new TestPki();
        var mismatch = _pki.WriteConfig($"tls_server_config:\n  cert_file: server.crt\n  key_file: {other.ServerKeyFile}\n");
        Assert.Contains($":2: tls_server_config: the private key key_file {other.ServerKeyFile} does not match the certificate cert_file " +
            $"{_pki.ServerCertFile} (or is of a type that cannot be read): give the key the certificate was issued for",
            Assert.Throws<WebConfigException>(() => WebConfigLoader.Load(mismatch)).Message);
        var noKey = _pki.WriteConfig("tls_server_config:\n  cert_file: server.crt\n  key_file: garbage.pem\n");
        Assert.Contains(":3: tls_server_config: key_file " + Path.Combine(_pki.Directory, "garbage.pem") + " holds no PEM private key",
            Assert.Throws<WebConfigException>(() => WebConfigLoader.Load(noKey)).Message);
        var noCa = _pki.WriteConfig("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n" +
                                    "  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: garbage.pem\n");
        Assert.Contains(":5: tls_server_config: client_ca_file " + Path.Combine(_pki.Directory, "garbage.pem") + " holds no PEM certificate",
            Assert.Throws<WebConfigException>(() => WebConfigLoader.Load(noCa)).Message);
        var directoryCa = _pki.WriteConfig("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n" +
                                           "  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: .\n");
        Assert.Contains(":5: tls_server_config.client_ca_file: " + _pki.Directory + ": is a directory: give the path of a file",
            Assert.Throws<WebConfigException>(() => WebConfigLoader.Load(directoryCa)).Message);
        Assert.Contains($"-web.config.file {_pki.Directory}: is a directory: give the path of a file",
            Assert.Throws<WebConfigException>(() => WebConfigLoader.Load(_pki.Directory)).Message);
    }

    [Fact]
    public void The_default_empty_flag_means_no_tls_and_no_auth()
    {
        var loaded = WebConfigLoader.Load("");
        Assert.Null(loaded.Config.Tls);
        Assert.Empty(loaded.Config.BasicAuthUsers);
    }
}
