using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Oie.Deploy.Tests;

/// <summary>
/// The .deb end to end with the real Debian tools: packaging/deb/build.sh builds it from the published AOT binary,
/// dpkg -i installs it (user, state directory, unit, conffile), the installed binary runs the way its unit runs it
/// (ExecStart with the EnvironmentFile's ARGS, as the unit's User with its capabilities and no_new_privs, via setpriv:
/// no systemd is PID 1 here) on the libvirt test driver and is scraped, stopped by PID with SIGTERM, and dpkg --purge
/// leaves the machine as it was — also when an assertion fails. Root only; skipped with the reason otherwise.
/// </summary>
public sealed partial class DebPackageTests
{
    private const string Package = "openstack-instance-exporter";
    private const string User = "openstack-instance-exporter";
    private const string Binary = "/usr/bin/openstack_instance_exporter";
    private const string Unit = "/lib/systemd/system/openstack_instance_exporter.service";
    private const string Defaults = "/etc/default/openstack_instance_exporter";
    private const string State = "/var/lib/openstack_instance_exporter";

    /// <summary>Everything the package or its scripts may create; none of it may be left after a purge.</summary>
    private static readonly string[] Traces =
    [
        Binary, Unit, Defaults, State,
        "/etc/systemd/system/multi-user.target.wants/openstack_instance_exporter.service",
        "/etc/systemd/system/openstack_instance_exporter.service",
        "/var/lib/systemd/deb-systemd-helper-enabled/openstack_instance_exporter.service.dsh-also",
        "/var/lib/systemd/deb-systemd-helper-enabled/multi-user.target.wants/openstack_instance_exporter.service",
        "/var/lib/systemd/deb-systemd-helper-masked/openstack_instance_exporter.service",
    ];

    private static string Version { get; } =
        VersionElement().Match(File.ReadAllText(Repo.File("Directory.Build.props"))) is { Success: true } m
            ? m.Groups[1].Value
            : throw new InvalidDataException("no <Version> in Directory.Build.props");

    [SkippableFact]
    public async Task The_package_installs_runs_as_its_unit_and_purges_without_a_trace()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "SKIPPED: needs root (dpkg -i, a system user, setpriv)");
        foreach (var tool in new[] { "dpkg", "dpkg-deb", "dpkg-shlibdeps", "setpriv", "systemd-analyze", "useradd", "getent" })
            Skip.IfNot(Tool.OnPath(tool), $"SKIPPED: {tool} is not installed (scripts/install-deps.sh installs what this needs)");
        var before = await MachineState();
        Skip.If(before.Installed || before.User || before.Group || before.Paths.Length > 0,
            $"SKIPPED: this machine already has the package, its user or its files ({before}); the test will not touch an existing install");

        var output = Directory.CreateTempSubdirectory("oie-deb-");
        try
        {
            var built = await Tool.MustSucceedAsync(Repo.File("packaging", "deb", "build.sh"), PublishedExporter.Path, output.FullName);
            var arch = (await Tool.MustSucceedAsync("dpkg", "--print-architecture")).Stdout.Trim();
            var deb = built.Stdout.Trim().Split('\n')[^1];
            Assert.Equal(Path.Combine(output.FullName, $"{Package}_{Version}_{arch}.deb"), deb);
            await AssertPackageContents(deb, arch);

            Tool.Result purge;
            try
            {
                AssertSucceeded(await Dpkg("-i", deb), "dpkg -i");
                await AssertInstalled();
                await RunAsTheUnitDoes();
            }
            finally
            {
                purge = await Dpkg("--purge", Package);
            }
            AssertSucceeded(purge, "dpkg --purge");
            Assert.Equal(before, await MachineState());
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static async Task AssertPackageContents(string deb, string arch)
    {
        var fields = (await Tool.MustSucceedAsync("dpkg-deb", "--field", deb, "Package", "Version", "Architecture", "Depends")).Stdout;
        Assert.Contains($"Package: {Package}\n", fields);
        Assert.Contains($"Version: {Version}\n", fields);
        Assert.Contains($"Architecture: {arch}\n", fields);
        Assert.Matches(@"Depends: .*libc6 \(>= [0-9.]+\).*libvirt0", fields);   // dpkg-shlibdeps' libc6, and the dlopened libvirt

        var contents = (await Tool.MustSucceedAsync("dpkg-deb", "--contents", deb)).Stdout;
        Assert.Matches($@"-rwxr-xr-x root/root .* \.{Regex.Escape(Binary)}\n", contents);
        Assert.Matches($@"-rw-r--r-- root/root .* \.{Regex.Escape(Unit)}\n", contents);
        Assert.Matches($@"-rw-r--r-- root/root .* \.{Regex.Escape(Defaults)}\n", contents);
        Assert.Equal(Defaults, (await Tool.MustSucceedAsync("dpkg-deb", "--info", deb, "conffiles")).Stdout.Trim());
    }

    private static async Task AssertInstalled()
    {
        Assert.Equal($"install ok installed {Version}", (await Tool.MustSucceedAsync("dpkg-query", "-W", "-f=${Status} ${Version}", Package)).Stdout);
        Assert.Contains(Defaults, (await Tool.MustSucceedAsync("dpkg-query", "-W", "-f=${Conffiles}", Package)).Stdout);

        Assert.Equal(SHA256.HashData(await File.ReadAllBytesAsync(PublishedExporter.Path)), SHA256.HashData(await File.ReadAllBytesAsync(Binary)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead |
                     UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, File.GetUnixFileMode(Binary));

        var unitText = await File.ReadAllTextAsync(Unit);
        var unit = new SystemdUnit(unitText);
        Assert.StartsWith(Binary + " ", unit.Single("ExecStart"), StringComparison.Ordinal);
        Assert.DoesNotContain(unitText.Split('\n'), line => !line.StartsWith('#') && line.Contains("/usr/local", StringComparison.Ordinal));
        Assert.Equal(User, unit.Single("User"));
        var verify = await Tool.RunAsync("systemd-analyze", ["verify", Unit]);
        Assert.True(verify.ExitCode == 0 && verify.Output.Trim().Length == 0, "systemd-analyze verify: " + verify.Output);
        Assert.Equal(Unit, new FileInfo("/etc/systemd/system/multi-user.target.wants/openstack_instance_exporter.service").LinkTarget);

        var passwd = (await Tool.MustSucceedAsync("getent", "passwd", User)).Stdout.Trim().Split(':');
        Assert.Equal("/usr/sbin/nologin", passwd[6]);
        Assert.InRange(int.Parse(passwd[2], CultureInfo.InvariantCulture), 100, 999);   // a system user
        await Tool.MustSucceedAsync("getent", "group", User);
        foreach (var dir in new[] { State, State + "/feeds" })
            Assert.Equal($"{User}:{User} 750", (await Tool.MustSucceedAsync("stat", "-c", "%U:%G %a", dir)).Stdout.Trim());
    }

    /// <summary>ExecStart of the installed unit, run as systemd would (its User, Group, capabilities, no_new_privs,
    /// EnvironmentFile), with the libvirt URI and listen address overridden for this machine.</summary>
    private static async Task RunAsTheUnitDoes()
    {
        var unit = new SystemdUnit(await File.ReadAllTextAsync(Unit));
        var environmentFile = unit.Single("EnvironmentFile").TrimStart('-');
        Assert.Equal(Defaults, environmentFile);
        var words = unit.ExecStart(SystemdUnit.ReadEnvironmentFile(await File.ReadAllTextAsync(environmentFile)));

        // The service user must be able to read the node file: a world-readable copy outside the repository.
        var nodeDir = Directory.CreateTempSubdirectory("oie-deb-node-");
        File.SetUnixFileMode(nodeDir.FullName, (UnixFileMode)0b111_101_101);
        var node = Path.Combine(nodeDir.FullName, "node.xml");
        File.Copy(Repo.File("samples", "node.xml"), node);
        File.SetUnixFileMode(node, (UnixFileMode)0b110_100_100);
        var port = Daemon.FreePort();
        var overridden = 0;
        var args = words.Skip(1).Select(word =>
        {
            if (word.StartsWith("-web.listen-address=", StringComparison.Ordinal) && ++overridden > 0)
                return $"-web.listen-address=127.0.0.1:{port}";
            if (word.StartsWith("-libvirt.uri=", StringComparison.Ordinal) && ++overridden > 0)
                return $"-libvirt.uri=test://{node}";
            return word;
        }).ToList();
        Assert.Equal(2, overridden);

        var ambient = unit.Capabilities("AmbientCapabilities");
        var bounding = unit.Capabilities("CapabilityBoundingSet");
        var start = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var arg in new[]
                 {
                     $"--reuid={unit.Single("User")}", $"--regid={unit.Single("Group")}", "--init-groups",
                     "--inh-caps=-all" + string.Concat(ambient.Select(c => ",+" + c)),
                     "--ambient-caps=-all" + string.Concat(ambient.Select(c => ",+" + c)),
                     "--bounding-set=-all" + string.Concat(bounding.Select(c => ",+" + c)),
                 })
        {
            start.ArgumentList.Add(arg);
        }

        if (unit.Single("NoNewPrivileges") == "yes")
            start.ArgumentList.Add("--no-new-privs");
        start.ArgumentList.Add("--");
        start.ArgumentList.Add(words[0]);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("setpriv did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var metrics = await FirstCompleteCycle(process, port, stdout, stderr);
            Assert.Contains("oie_exporter_libvirt_up 1\n", metrics);
            Assert.Matches("\noie_exporter_instances [1-9]", metrics);
            Assert.Contains("oie_disk_r_alert_threshold{", metrics);
            if (Tool.OnPath("conntrack"))   // the conntrack tool can dump the table only with the unit's CAP_NET_ADMIN
                Assert.Contains("oie_exporter_collector_success{collector=\"conntrack\"} 1\n", metrics);

            // setpriv exec'd the exporter: the PID is the exporter's, with the unit's identity and privileges.
            var status = await File.ReadAllTextAsync($"/proc/{process.Id}/status");
            var uid = (await Tool.MustSucceedAsync("id", "-u", User)).Stdout.Trim();
            Assert.Matches($"\nUid:\t{uid}\t{uid}\t{uid}\t{uid}\n", status);
            Assert.Contains($"\nCapAmb:\t{CapabilityMask(ambient)}\n", status);
            Assert.Contains($"\nCapEff:\t{CapabilityMask(ambient)}\n", status);
            Assert.Contains($"\nCapBnd:\t{CapabilityMask(bounding)}\n", status);
            Assert.Contains("\nNoNewPrivs:\t1\n", status);

            await Tool.MustSucceedAsync("kill", "-TERM", process.Id.ToString(CultureInfo.InvariantCulture));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode} after SIGTERM:\n{await stdout}{await stderr}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            nodeDir.Delete(recursive: true);
        }
    }

    /// <summary>Polls /metrics until a cycle in which libvirt and every collector ran has been published.</summary>
    private static async Task<string> FirstCompleteCycle(Process process, int port, Task<string> stdout, Task<string> stderr)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                Assert.Fail($"the exporter exited ({process.ExitCode}) before serving a cycle:\n{await stdout}{await stderr}");
            try
            {
                last = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
                if (LastSuccess().IsMatch(last))
                    return last;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        Assert.Fail("no complete collection cycle within 60 s; last scrape:\n" + last);
        return "";
    }

    private static string CapabilityMask(IReadOnlyList<string> capabilities) =>
        capabilities.Aggregate(0UL, (mask, c) => mask | 1UL << c switch
        {
            "net_admin" => 12,
            "net_raw" => 13,
            "net_bind_service" => 10,
            _ => throw new NotSupportedException("capability number of " + c),
        }).ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>dpkg, waiting (with a deadline) while another dpkg or apt holds the database lock.</summary>
    private static async Task<Tool.Result> Dpkg(params string[] args)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            var result = await Tool.RunAsync("dpkg", args, environment: new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" });
            if (result.ExitCode == 0 || !result.Output.Contains("lock", StringComparison.OrdinalIgnoreCase) || DateTime.UtcNow > deadline)
                return result;
            await Task.Delay(500);
        }
    }

    private static void AssertSucceeded(Tool.Result result, string what) =>
        Assert.True(result.ExitCode == 0, $"{what} exited {result.ExitCode}:\n{result.Output}");

    private sealed record Machine(bool Installed, bool User, bool Group, string Paths);

    private static async Task<Machine> MachineState()
    {
        var status = await Tool.RunAsync("dpkg-query", ["-W", "-f=${Status}", Package]);
        var present = Traces.Where(p => File.Exists(p) || Directory.Exists(p) || new FileInfo(p).LinkTarget is not null);
        return new Machine(
            status.ExitCode == 0 && status.Stdout.Contains("installed", StringComparison.Ordinal) && !status.Stdout.Contains("not-installed", StringComparison.Ordinal),
            (await Tool.RunAsync("getent", ["passwd", User])).ExitCode == 0,
            (await Tool.RunAsync("getent", ["group", User])).ExitCode == 0,
            string.Join(", ", present));
    }

    [GeneratedRegex("<Version>([^<]+)</Version>")]
    private static partial Regex VersionElement();

    [GeneratedRegex("\noie_exporter_last_successful_collection_timestamp_seconds [1-9]")]
    private static partial Regex LastSuccess();
}
