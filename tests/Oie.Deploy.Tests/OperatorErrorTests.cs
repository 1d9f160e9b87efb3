using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Oie.Testing;

namespace Oie.Deploy.Tests;

/// <summary>
/// Issue 15, finding 4, on the published Native AOT binary: the errors an operator meets read as words to act on, not
/// the runtime's resource keys (IO_PathNotFound_Path, UnauthorizedAccess_IODenied_Path,
/// Cryptography_X509_NoOrMismatchedPemKey, net_http_invalid_response_premature_eof_bytecount), which is what the
/// binary printed while it was built with UseSystemResourceKeys.
/// </summary>
public sealed partial class OperatorErrorTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("oie-operator-errors-");

    public void Dispose() => _work.Delete(recursive: true);

    /// <summary>A word_with_Underscores token starting with a capital or a lower-case area prefix: a resource key.</summary>
    [GeneratedRegex(@"\b([A-Z][A-Za-z0-9]*_[A-Za-z0-9_]+|net_http_[a-z_]+)\b")]
    private static partial Regex ResourceKey();

    private static string Node => Repo.File("samples", "node.xml");

    private static Task<Tool.Result> Run(params string[] args) =>
        Tool.RunAsync(PublishedExporter.Path, [$"-libvirt.uri=test://{Node}", "-web.listen-address=127.0.0.1:0", .. args]);

    private static void AssertWords(Tool.Result result, string expected)
    {
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotMatch(ResourceKey(), result.Stderr);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_work.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task A_directory_or_a_missing_file_as_the_web_config_is_named_with_what_to_do()
    {
        AssertWords(await Run($"-web.config.file={_work.FullName}"),
            $"cannot start: -web.config.file {_work.FullName}: is a directory: give the path of a file");
        var missing = Path.Combine(_work.FullName, "absent.yml");
        AssertWords(await Run($"-web.config.file={missing}"), $"cannot start: -web.config.file {missing}: not found: check the path");
    }

    [Fact]
    public async Task A_key_that_does_not_match_the_certificate_or_a_directory_as_cert_file_is_named_with_what_to_do()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var cert = Write("server.crt", certificate.ExportCertificatePem());
        var wrongKey = Write("other.key", otherKey.ExportPkcs8PrivateKeyPem());
        var config = Write("web.yml", "tls_server_config:\n  cert_file: server.crt\n  key_file: other.key\n");
        AssertWords(await Run($"-web.config.file={config}"),
            $"{config}:2: tls_server_config: the private key key_file {wrongKey} does not match the certificate cert_file {cert}");

        var directory = Write("dir.yml", $"tls_server_config:\n  cert_file: {_work.FullName}\n  key_file: other.key\n");
        AssertWords(await Run($"-web.config.file={directory}"),
            $"{directory}:2: tls_server_config.cert_file: {_work.FullName}: is a directory: give the path of a file");
    }

    [Fact]
    public async Task A_listen_address_in_use_says_so_in_words()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var result = await Tool.RunAsync(PublishedExporter.Path, [$"-libvirt.uri=test://{Node}", $"-web.listen-address=127.0.0.1:{port}"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"cannot start: -web.listen-address=127.0.0.1:{port}: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("address already in use", result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Stop what holds the port (another exporter?) or choose another address.", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotMatch(ResourceKey(), result.Stderr);
    }

    /// <summary>The runtime's own message for a response cut short: what the feed refresher logs as the reason.</summary>
    [Fact]
    public async Task A_feed_download_cut_short_is_logged_in_the_runtimes_words()
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var feedPort = ((IPEndPoint)server.LocalEndpoint).Port;
        var serving = Task.Run(async () =>
        {
            while (true)
            {
                using var client = await server.AcceptTcpClientAsync();
                var stream = client.GetStream();
                var buffer = new byte[4096];
                _ = await stream.ReadAsync(buffer);
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n192.0.2.1\n"));
            }
        });
        await using var exporter = Daemon.Start(PublishedExporter.Path,
        [
            $"-libvirt.uri=test://{Node}", $"-web.listen-address=127.0.0.1:{Daemon.FreePort()}", "-log.level=info", "-emergingthreats.enable",
            $"-emergingthreats.url=http://127.0.0.1:{feedPort}/compromised-ips.txt", $"-feeds.cache-dir={_work.FullName}",
        ]);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!exporter.Output.Contains("emergingthreats", StringComparison.Ordinal) || !Regex.IsMatch(exporter.Output, "(?i)prematurely|ended"))
        {
            Assert.False(exporter.HasExited, exporter.Output);
            Assert.True(DateTime.UtcNow < deadline, "no failed-download line in 60 s:\n" + exporter.Output);
            await Task.Delay(200);
        }
        var line = exporter.Output.Split('\n').First(l => Regex.IsMatch(l, "(?i)prematurely"));
        Assert.DoesNotMatch(ResourceKey(), line);
        server.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => serving);
    }

    /// <summary>Finding 7: plain HTTP on the TLS port was dropped without a word.</summary>
    [Fact]
    public async Task Plain_http_on_the_tls_port_gets_gos_400_and_a_log_line()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        Write("server.crt", certificate.ExportCertificatePem());
        Write("server.key", key.ExportPkcs8PrivateKeyPem());
        var config = Write("web.yml", "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n");
        var port = Daemon.FreePort();
        await using var exporter = Daemon.Start(PublishedExporter.Path,
            [$"-libvirt.uri=test://{Node}", $"-web.listen-address=127.0.0.1:{port}", $"-web.config.file={config}"]);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!exporter.Output.Contains("serving https://", StringComparison.Ordinal))
        {
            Assert.False(exporter.HasExited, exporter.Output);
            Assert.True(DateTime.UtcNow < deadline, "not serving in 60 s:\n" + exporter.Output);
            await Task.Delay(100);
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        using var response = await http.GetAsync($"http://127.0.0.1:{port}/metrics");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Client sent an HTTP request to an HTTPS server.\n", await response.Content.ReadAsStringAsync());
        while (!exporter.Output.Contains("plain HTTP request on the TLS listener", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "no log line:\n" + exporter.Output);
            await Task.Delay(100);
        }
        Assert.Contains("from 127.0.0.1: answered 400; the client must use https://", exporter.Output, StringComparison.Ordinal);
    }
}
