using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Oie.Collectors.Conntrack.Tests;

/// <summary>
/// What docs/deployment.md's least-privilege section promises: the published exporter, run as an unprivileged user whose only
/// capability is CAP_NET_ADMIN (as the systemd unit's AmbientCapabilities grants), reads the kernel conntrack table and
/// a read-only libvirt connection; without that capability the conntrack read fails and is reported, not hidden.
/// The exporter runs inside a namespace of a <see cref="NetnsLab"/> (entered as root by `ip netns exec`, then
/// privileges are dropped by setpriv), so the table it reads is the lab's.
/// </summary>
public sealed partial class LeastPrivilegeTests
{
    private const string Nobody = "65534";
    private const long CapNetAdmin = 1L << 12;

    [SkippableTheory]
    [InlineData("cli")]
    [InlineData("netlink")]
    public async Task Only_cap_net_admin_is_enough_to_read_the_conntrack_table(string source)
    {
        using var lab = CreateLab();
        RealConntrackTests.MakeFlows(lab);
        using var files = new WorldReadableCopy();

        await using var exporter = await UnprivilegedExporter.StartAsync(lab, files, "+net_admin", source);
        var metrics = await exporter.ScrapeWhenAsync(lab, "oie_exporter_collector_success{collector=\"conntrack\"} 1");

        var status = File.ReadAllText($"/proc/{exporter.Pid}/status");
        Assert.Equal(Nobody, Field(status, "Uid").Split('\t')[0]);
        Assert.Equal(CapNetAdmin, long.Parse(Field(status, "CapEff"), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.Contains("oie_exporter_libvirt_up 1", metrics);
        Assert.Contains("oie_exporter_collector_success{collector=\"conntrack\"} 1", metrics);
        var ipTotal = Regex.Match(metrics, $@"^oie_conntrack_ip_total\{{[^}}]*ip=""{Regex.Escape(NetnsLab.A4)}""[^}}]*\}} (\S+)$", RegexOptions.Multiline);
        Assert.True(
            ipTotal.Success && ipTotal.Groups[1].Value == RealConntrackTests.FlowsPerFamily.ToString(CultureInfo.InvariantCulture),
            $"expected {RealConntrackTests.FlowsPerFamily} flows for {NetnsLab.A4}; exporter says:\n"
            + string.Join('\n', metrics.Split('\n').Where(l => l.StartsWith("oie_conntrack", StringComparison.Ordinal)))
            + "\nkernel table now:\n" + lab.In(lab.A, "conntrack", "-L"));
    }

    [SkippableTheory]
    [InlineData("cli")]
    [InlineData("netlink")]
    public async Task Without_cap_net_admin_the_conntrack_read_fails_and_is_counted(string source)
    {
        using var lab = CreateLab();
        RealConntrackTests.MakeFlows(lab);
        using var files = new WorldReadableCopy();

        await using var exporter = await UnprivilegedExporter.StartAsync(lab, files, "", source);
        var metrics = await exporter.ScrapeWhenAsync(lab, "oie_exporter_collection_errors_total{source=\"conntrack\"} 1");

        Assert.Equal(0L, long.Parse(Field(File.ReadAllText($"/proc/{exporter.Pid}/status"), "CapEff"), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.Contains("oie_exporter_libvirt_up 1", metrics);   // libvirt's read-only test connection needs nothing
        Assert.Contains("oie_exporter_collector_success{collector=\"conntrack\"} 0", metrics);
        Assert.Matches(@"oie_exporter_collection_errors_total\{source=""conntrack""\} [1-9]", metrics);
        Assert.DoesNotContain("oie_conntrack_ip_total{", metrics);
    }

    private static NetnsLab CreateLab()
    {
        var missing = NetnsLab.MissingPrerequisite();
        Skip.If(missing is not null, missing);
        var lab = NetnsLab.TryCreate(out var refused);
        Skip.If(lab is null, refused);
        return lab;
    }

    private static string Field(string procStatus, string name) =>
        Regex.Match(procStatus, $@"^{name}:\s*(.+)$", RegexOptions.Multiline).Groups[1].Value.Trim();

    /// <summary>The AOT binary and a node file in a directory the unprivileged user can read (the repository may not be).</summary>
    private sealed class WorldReadableCopy : IDisposable
    {
        private readonly TempDir _dir = new();

        public WorldReadableCopy()
        {
            File.SetUnixFileMode(_dir.Path, (UnixFileMode)Convert.ToInt32("755", 8));
            Binary = _dir.File(PublishedExporter.FileName);
            File.Copy(PublishedExporter.Path, Binary);
            File.SetUnixFileMode(Binary, (UnixFileMode)Convert.ToInt32("755", 8));
            // The sample node's first instance takes the lab's client address as its fixed IPv4.
            var node = File.ReadAllText(Path.Combine(PublishedExporter.RepositoryRoot, "samples", "node.xml"));
            NodeFile = _dir.Write("node.xml", node.Replace("address=\"10.0.0.5\"", $"address=\"{NetnsLab.A4}\"", StringComparison.Ordinal));
            File.SetUnixFileMode(NodeFile, (UnixFileMode)Convert.ToInt32("644", 8));
        }

        public string Binary { get; }

        public string NodeFile { get; }

        public void Dispose() => _dir.Dispose();
    }

    /// <summary>The exporter in the lab's client namespace as uid/gid 65534 with exactly <c>caps</c> (setpriv syntax),
    /// reading the table with the given <c>-conntrack.source</c>.</summary>
    private sealed partial class UnprivilegedExporter : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly int _port;

        private UnprivilegedExporter(Process process, int port)
        {
            _process = process;
            _port = port;
        }

        public int Pid => _process.Id;

        public static async Task<UnprivilegedExporter> StartAsync(NetnsLab lab, WorldReadableCopy files, string caps, string source)
        {
            var capSet = "-all" + (caps.Length > 0 ? "," + caps : "");
            var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[]
                     {
                         "netns", "exec", lab.A, "setpriv", $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups",
                         $"--inh-caps={capSet}", $"--ambient-caps={capSet}", $"--bounding-set={capSet}", "--",
                         files.Binary, "-web.listen-address=127.0.0.1:0", $"-libvirt.uri=test://{files.NodeFile}",
                         "-collection.interval=1s", "-conntrack.min=1", "-log.level=info", $"-conntrack.source={source}",
                     })
            {
                info.ArgumentList.Add(arg);
            }

            var process = Process.Start(info) ?? throw new InvalidOperationException("ip netns exec did not start");
            try
            {
                var port = await ReadPortAsync(process).WaitAsync(TimeSpan.FromSeconds(30));
                return new UnprivilegedExporter(process, port);
            }
            catch
            {
                process.Kill(entireProcessTree: true);
                process.Dispose();
                throw;
            }
        }

        /// <summary>Scrapes from inside the namespace (where the exporter listens) until the exposition has the line
        /// <paramref name="line"/>, the sign that a cycle with the conntrack collector has run.</summary>
        public async Task<string> ScrapeWhenAsync(NetnsLab lab, string line)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var metrics = lab.In(lab.A, "curl", "-s", $"http://127.0.0.1:{_port}/metrics");
                if (metrics.Split('\n').Contains(line))
                    return metrics;
                if (_process.HasExited)
                    Assert.Fail($"the exporter exited ({_process.ExitCode}): {await _process.StandardError.ReadToEndAsync()}");
                if (clock.Elapsed > TimeSpan.FromSeconds(30))
                    throw new TimeoutException($"no line `{line}` after 30s:\n{metrics}");
                await Task.Delay(100); // polling the exporter's own cycle counter, not waiting for time to pass
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        private static async Task<int> ReadPortAsync(Process process)
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                var serving = Serving().Match(line);
                if (serving.Success)
                {
                    _ = process.StandardOutput.ReadToEndAsync(); // keep draining the log so the exporter never blocks on it
                    return int.Parse(serving.Groups[1].Value, CultureInfo.InvariantCulture);
                }
            }
            throw new InvalidOperationException("the exporter exited before serving: " + await process.StandardError.ReadToEndAsync());
        }

        [GeneratedRegex(@"serving http://127\.0\.0\.1:(\d+)")]
        private static partial Regex Serving();
    }
}
