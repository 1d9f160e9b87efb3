using System.Collections.Concurrent;
using System.Diagnostics;

namespace Oie.Host.Tests;

/// <summary>
/// Command lines and requests the Go exporter accepted, run against the built executable as an operator's unit file
/// runs it: each starts with Go's meaning, and what Go silently dropped is said once at start.
/// </summary>
public class GoCompatibilityTests
{
    private static readonly string[] Quiet = ["-web.listen-address=127.0.0.1:0", "-libvirt.uri=test:///nonexistent/node.xml", "-collector.conntrack=false"];

    [Theory]
    [InlineData("INFO", "1")]
    [InlineData("Debug", "2")]
    [InlineData("error", "0")]
    public async Task Log_level_is_case_insensitive_as_go_lowercased_it(string level, string number)
    {
        await using var exporter = await RunningExporter.StartAsync([.. Quiet, $"-log.level={level}"]);
        var body = await exporter.Http.GetStringAsync("/debug/log-level");
        Assert.EndsWith(number, body.TrimEnd('\n'), StringComparison.Ordinal);
        Assert.DoesNotContain(exporter.StartLines, l => l.Contains("-log.level", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_log_level_starts_at_error_as_go_did_and_says_so_once()
    {
        await using var exporter = await RunningExporter.StartAsync([.. Quiet, "-log.level=loud"]);
        var body = await exporter.Http.GetStringAsync("/debug/log-level");
        Assert.EndsWith("0", body.TrimEnd('\n'), StringComparison.Ordinal);
        var line = Assert.Single(exporter.StartLines, l => l.Contains("-log.level", StringComparison.Ordinal));
        Assert.Contains("level=error", line, StringComparison.Ordinal);
        Assert.Contains("unknown level \\\"loud\\\" ignored, starting at error", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_and_repeated_threshold_entries_are_skipped_as_go_did_and_named_once()
    {
        await using var exporter = await RunningExporter.StartAsync(
            [.. Quiet, "-read.thresholds=default:lots,local:1,local:2,ultra", "-write.thresholds=ceph:1:2,ultra:5"]);
        var read = Assert.Single(exporter.StartLines, l => l.Contains("-read.thresholds", StringComparison.Ordinal));
        Assert.Contains("level=error", read, StringComparison.Ordinal);
        Assert.Contains("\\\"default:lots\\\"", read, StringComparison.Ordinal);
        Assert.Contains("\\\"local:1\\\" (local is given again later, the last one wins)", read, StringComparison.Ordinal);
        Assert.Contains("\\\"ultra\\\" (want type:value)", read, StringComparison.Ordinal);
        Assert.DoesNotContain("local:2", read, StringComparison.Ordinal);
        var write = Assert.Single(exporter.StartLines, l => l.Contains("-write.thresholds", StringComparison.Ordinal));
        Assert.Contains("\\\"ceph:1:2\\\"", write, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_duration_still_exits_2_naming_the_flag_as_go_refused_it()
    {
        var (exitCode, _, stderr) = await ProcessRunner.RunAsync("dotnet",
            [RunningExporter.Dll, .. Quiet, "-read.thresholds=x", "-collection.interval=fast"]);
        Assert.Equal(2, exitCode);
        Assert.Contains("invalid value \"fast\" for flag -collection.interval", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stray_false_after_a_boolean_is_its_value_with_a_warning_and_the_rest_is_parsed()
    {
        await using var exporter = await RunningExporter.StartAsync(
            ["-collector.cpu", "false", .. Quiet, "-log.level=info"]);
        var line = Assert.Single(exporter.StartLines, l => l.Contains("-collector.cpu false", StringComparison.Ordinal));
        Assert.Contains("level=warn", line, StringComparison.Ordinal);
        Assert.Contains("write -collector.cpu=false", line, StringComparison.Ordinal);
        // The flags after the stray word were parsed (Go ignored them): the level is info.
        Assert.EndsWith("1", (await exporter.Http.GetStringAsync("/debug/log-level")).TrimEnd('\n'), StringComparison.Ordinal);
        var metrics = await exporter.Http.GetStringAsync("/metrics");
        Assert.DoesNotContain("collector=\"cpu\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Debug_log_level_answers_go_bodies()
    {
        await using var exporter = await RunningExporter.StartAsync(Quiet);
        Assert.Equal("current log level: 0\n", await exporter.Http.GetStringAsync("/debug/log-level"));
        Assert.Equal("current log level: 0\n", await exporter.Http.GetStringAsync("/debug/log-level?level="));
        Assert.Equal("log level set to INFO\n", await exporter.Http.GetStringAsync("/debug/log-level?level=INFO"));
        using var post = await exporter.Http.PostAsync("/debug/log-level?level=debug", null);
        Assert.Equal(System.Net.HttpStatusCode.OK, post.StatusCode);
        Assert.Equal("log level set to debug\n", await post.Content.ReadAsStringAsync());
        Assert.Equal("current log level: 2\n", await exporter.Http.GetStringAsync("/debug/log-level"));
    }

    /// <summary>Block and iSCSI disks without a pool/image source name (the libvirt tests' node): Go labelled them
    /// disk_type="unknown", disk_uuid="unknown", not with their serial or device path.</summary>
    [Fact]
    public async Task A_disk_without_a_pool_image_source_is_unknown_unknown_as_go_labelled_it()
    {
        var node = Path.Combine(RepoPaths.Root, "tests", "Oie.Libvirt.Tests", "fixtures", "node.xml");
        await using var exporter = await RunningExporter.StartAsync(
            ["-web.listen-address=127.0.0.1:0", $"-libvirt.uri=test://{node}", "-collector.conntrack=false", "-collection.interval=1s"]);
        string metrics = "";
        for (var attempt = 0; attempt < 100 && !metrics.Contains("instance-iscsi", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(100);
            metrics = await exporter.Http.GetStringAsync("/metrics");
        }
        var lines = metrics.Split('\n').Where(l => l.StartsWith("oie_disk_r_alert_threshold{domain=\"instance-iscsi\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Contains("disk_uuid=\"unknown\",disk_type=\"unknown\"", l, StringComparison.Ordinal));
    }

    /// <summary>The built exporter, started and serving; the stdout lines it wrote up to the "serving" line.</summary>
    private sealed class RunningExporter : IAsyncDisposable
    {
        public static string Dll => Path.Combine(AppContext.BaseDirectory, "openstack_instance_exporter.dll");

        private readonly Process _process;
        private readonly ConcurrentQueue<string> _later = new();

        private RunningExporter(Process process, List<string> startLines, Uri url)
        {
            _process = process;
            StartLines = startLines;
            Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(20) };
        }

        public IReadOnlyList<string> StartLines { get; }
        public HttpClient Http { get; }

        public static async Task<RunningExporter> StartAsync(IEnumerable<string> args)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Dll);
            foreach (var arg in args)
                start.ArgumentList.Add(arg);
            var process = Process.Start(start) ?? throw new InvalidOperationException("the exporter did not start");
            var stderr = process.StandardError.ReadToEndAsync();
            var lines = new List<string>();
            try
            {
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
                {
                    const string Serving = "openstack_instance_exporter: serving ";
                    if (line.StartsWith(Serving, StringComparison.Ordinal))
                    {
                        var url = new Uri(line[Serving.Length..]);
                        var exporter = new RunningExporter(process, lines, new Uri(url.GetLeftPart(UriPartial.Authority)));
                        _ = exporter.DrainAsync();
                        return exporter;
                    }
                    lines.Add(line);
                }
                await process.WaitForExitAsync();
                throw new InvalidOperationException(
                    $"the exporter exited ({process.ExitCode}) before serving; stdout:\n{string.Join('\n', lines)}\nstderr:\n{await stderr}");
            }
            catch
            {
                if (!process.HasExited)
                    process.Kill(entireProcessTree: true);
                process.Dispose();
                throw;
            }
        }

        private async Task DrainAsync()
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
                _later.Enqueue(line);
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}
