namespace Oie.Host.Tests;

/// <summary>The shipped unit (deploy/openstack_instance_exporter.service) passes systemd's own checks.</summary>
public class SystemdUnitTests
{
    private static readonly string Unit = Path.Combine(RepoPaths.Root, "deploy", "openstack_instance_exporter.service");

    /// <summary>A copy of the unit whose ExecStart names an executable that exists here (verify checks it).</summary>
    private static string InstallableCopy(string? edit = null)
    {
        var text = File.ReadAllText(Unit).Replace("/usr/local/bin/openstack_instance_exporter", "/bin/true");
        if (edit is not null)
            text = text.Replace("NoNewPrivileges=yes", edit);
        var dir = Directory.CreateTempSubdirectory("oie-unit-").FullName;
        var path = Path.Combine(dir, "openstack_instance_exporter.service");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Systemd_analyze_verify_accepts_the_unit_without_a_warning()
    {
        var (exitCode, stdout, stderr) = await ProcessRunner.RunAsync("systemd-analyze", ["verify", InstallableCopy()]);
        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Equal("", (stdout + stderr).Trim());
    }

    [Fact]
    public async Task A_misspelt_directive_is_caught()
    {
        var (_, stdout, stderr) = await ProcessRunner.RunAsync("systemd-analyze", ["verify", InstallableCopy("NoNewPrivilegs=yes")]);
        Assert.Contains("Unknown key", stdout + stderr);
    }

    [Fact]
    public async Task The_unit_is_hardened_to_systemds_ok_exposure_level()
    {
        // Exposure is 0 (locked down) to 10 (fully exposed); systemd calls below 3.0 "OK". The threshold is in tenths.
        var (exitCode, stdout, stderr) = await ProcessRunner.RunAsync("systemd-analyze",
            ["security", "--offline=yes", "--threshold=30", InstallableCopy()]);
        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains("Overall exposure level", stdout);
    }

    [Fact]
    public void The_unit_grants_only_net_admin_and_runs_as_a_dedicated_user()
    {
        var text = File.ReadAllText(Unit);
        Assert.Contains("\nAmbientCapabilities=CAP_NET_ADMIN\n", text);
        Assert.Contains("\nCapabilityBoundingSet=CAP_NET_ADMIN\n", text);
        Assert.Contains("\nUser=openstack-instance-exporter\n", text);
        Assert.Contains("\nNoNewPrivileges=yes\n", text);
        Assert.Contains("\nProtectSystem=strict\n", text);
        Assert.Contains("-feeds.cache-dir=/var/lib/openstack_instance_exporter/feeds", text);
        Assert.Contains("\nStateDirectory=openstack_instance_exporter\n", text);
    }
}
