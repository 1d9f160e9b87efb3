using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Oie.Testing;

namespace Oie.Host.Tests;

/// <summary>
/// Command lines and requests the Go exporter accepted, run against the published (Native AOT) binary as an operator's
/// unit file runs it: each starts with Go's meaning, and what Go silently dropped is said once at start.
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
        var (exitCode, _, stderr) = await ProcessRunner.RunAsync(PublishedExporter.Path,
            [.. Quiet, "-read.thresholds=x", "-collection.interval=fast"]);
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

    [Fact]
    public async Task Start_writes_gos_serving_line_on_stdout()
    {
        await using var exporter = await RunningExporter.StartAsync(Quiet);
        Assert.Contains("Beginning to serve on 127.0.0.1:0", exporter.StartLines);
    }

    /// <summary>Go's flag package stopped at the first argument that is not a flag and the Go exporter ran with the
    /// flags before it; we start the same way and say at error level what was ignored.</summary>
    [Fact]
    public async Task A_stray_argument_starts_with_the_flags_before_it_as_go_did_and_names_what_was_ignored()
    {
        await using var exporter = await RunningExporter.StartAsync([.. Quiet, "-log.level=info", "extra", "-log.level=debug"]);
        var line = Assert.Single(exporter.StartLines, l => l.Contains("ignored the command line", StringComparison.Ordinal));
        Assert.Contains("level=error", line, StringComparison.Ordinal);
        Assert.Contains("from the first argument that is not a flag on: extra -log.level=debug", line, StringComparison.Ordinal);
        Assert.Equal("current log level: 1\n", await exporter.Http.GetStringAsync("/debug/log-level"));
    }

    /// <summary>Go wrote "[THREAT] FEED-HIT: domain=… uuid=… ip=… direction=…" on stderr for every hit at any log
    /// level; log searches and SIEM rules match it. The sample node's instance-00000005 (fd00::9) sends to 2001:db8::42,
    /// which the bundled custom list names.</summary>
    [Fact]
    public async Task A_threat_contact_writes_gos_threat_line_on_stderr_at_the_default_log_level()
    {
        var cache = Directory.CreateTempSubdirectory("oie-threat-lines-");
        try
        {
            await using var exporter = await RunningExporter.StartAsync(
            [
                "-web.listen-address=127.0.0.1:0", $"-libvirt.uri=test://{RepoPaths.SampleNode}", "-collection.interval=1s",
                $"-conntrack.path={Path.Combine(AppContext.BaseDirectory, "fixtures", "contacts", "conntrack.txt")}",
                "-customlist.enable", $"-customlist.path={Path.Combine(RepoPaths.Root, "samples", "feeds", "custom-ips.txt")}",
                $"-feeds.cache-dir={cache.FullName}",
            ]);
            string line;
            do
                line = await exporter.NextStderrLineAsync(TimeSpan.FromSeconds(30));
            while (!line.Contains("[THREAT]", StringComparison.Ordinal));
            Assert.Matches(@"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d \[THREAT\] CUSTOMLIST-HIT: domain=instance-00000005 uuid=11111111-0000-4000-8000-000000000004 ip=2001:db8::42 direction=dst$", line);
        }
        finally
        {
            cache.Delete(recursive: true);
        }
    }

    /// <summary>The process metrics under the names every Prometheus client exports (client_golang's), with values
    /// that agree with what the kernel says of the exporter's process; prometheus-net's own names are gone.</summary>
    [Fact]
    public async Task Process_metrics_have_the_standard_names_and_the_kernels_values()
    {
        await using var exporter = await RunningExporter.StartAsync(Quiet);
        // The exposition, the process metrics with it, is rendered by the cycle, not by the scrape: compare what the
        // first cycle rendered (oie_exporter_libvirt_up appears with it) with the kernel's figures read just after.
        var metrics = await exporter.Http.GetStringAsync("/metrics");
        for (var attempt = 0; attempt < 300 && !metrics.Contains("\noie_exporter_libvirt_up ", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(50);
            metrics = await exporter.Http.GetStringAsync("/metrics");
        }
        double Value(string name)
        {
            var line = Assert.Single(metrics.Split('\n'), l => l.StartsWith(name + " ", StringComparison.Ordinal));
            return double.Parse(line[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        }
        var status = File.ReadAllLines($"/proc/{exporter.Pid}/status");
        double Kb(string key) => 1024 * double.Parse(status.Single(l => l.StartsWith(key + ":", StringComparison.Ordinal))
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        var rss = Value("process_resident_memory_bytes");
        Assert.InRange(rss, Kb("VmRSS") / 2, Kb("VmRSS") * 2);
        Assert.InRange(Value("process_virtual_memory_bytes"), Kb("VmSize") / 2, Kb("VmSize") * 2);
        var fds = Directory.GetFileSystemEntries($"/proc/{exporter.Pid}/fd").Length;
        Assert.InRange(Value("process_open_fds"), 3, fds + 20);
        var maxFds = File.ReadAllLines($"/proc/{exporter.Pid}/limits").Single(l => l.StartsWith("Max open files", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];
        Assert.Equal(double.Parse(maxFds, System.Globalization.CultureInfo.InvariantCulture), Value("process_max_fds"));
        var started = Value("process_start_time_seconds");
        Assert.InRange(started, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 300, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.InRange(Value("process_cpu_seconds_total"), 0.01, 300);
        Assert.True(Value("process_virtual_memory_max_bytes") > 0);
        Assert.Contains("# TYPE process_cpu_seconds_total counter\n", metrics, StringComparison.Ordinal);
        Assert.Contains("# HELP process_resident_memory_bytes Resident memory size in bytes.\n", metrics, StringComparison.Ordinal);
        foreach (var gone in new[] { "process_working_set_bytes", "process_private_memory_bytes", "process_open_handles", "process_num_threads" })
            Assert.DoesNotContain(gone, metrics, StringComparison.Ordinal);
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
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _later = new();
        private readonly Channel<string> _stderr;

        private RunningExporter(Process process, Channel<string> stderr, List<string> startLines, Uri url)
        {
            _process = process;
            _stderr = stderr;
            StartLines = startLines;
            Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(20) };
        }

        public IReadOnlyList<string> StartLines { get; }
        public HttpClient Http { get; }
        public int Pid => _process.Id;

        public static async Task<RunningExporter> StartAsync(IEnumerable<string> args)
        {
            var start = new ProcessStartInfo(PublishedExporter.Path) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in args)
                start.ArgumentList.Add(arg);
            var process = Process.Start(start) ?? throw new InvalidOperationException("the exporter did not start");
            var stderr = Channel.CreateUnbounded<string>();
            var stderrText = new StringBuilder();
            _ = Task.Run(async () =>
            {
                while (await process.StandardError.ReadLineAsync() is { } line)
                {
                    lock (stderrText)
                        stderrText.AppendLine(line);
                    stderr.Writer.TryWrite(line);
                }
                stderr.Writer.TryComplete();
            });
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
                        var exporter = new RunningExporter(process, stderr, lines, new Uri(url.GetLeftPart(UriPartial.Authority)));
                        _ = exporter.DrainAsync();
                        return exporter;
                    }
                    lines.Add(line);
                }
                await process.WaitForExitAsync();
                throw new InvalidOperationException(
                    $"the exporter exited ({process.ExitCode}) before serving; stdout:\n{string.Join('\n', lines)}\nstderr:\n{stderrText}");
            }
            catch
            {
                if (!process.HasExited)
                    process.Kill(entireProcessTree: true);
                process.Dispose();
                throw;
            }
        }

        /// <summary>The next line the exporter writes to stderr, or an exception after <paramref name="timeout"/>.</summary>
        public async Task<string> NextStderrLineAsync(TimeSpan timeout)
        {
            using var deadline = new CancellationTokenSource(timeout);
            return await _stderr.Reader.ReadAsync(deadline.Token);
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
