namespace Oie.Host.Tests;

/// <summary>The built executable, as an operator's unit file runs it.</summary>
public class ProcessTests
{
    private static Task<(int ExitCode, string Stdout, string Stderr)> Run(params string[] args) =>
        ProcessRunner.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "openstack_instance_exporter.dll"), .. args]);

    [Theory]
    [InlineData("-no.such.flag", "flag provided but not defined: -no.such.flag")]
    [InlineData("-collection.interval=fast", "invalid value \"fast\" for flag -collection.interval")]
    [InlineData("-read.thresholds=default:lots", "-read.thresholds")]
    [InlineData("-log.level=loud", "-log.level")]
    [InlineData("-tor.url=ftp://mirror.example/tor.json", "-tor.url")]
    [InlineData("-customlist.enable", "-customlist.path is empty")]
    public async Task Invalid_flags_exit_2_naming_the_flag(string arg, string message)
    {
        var (exitCode, _, stderr) = await Run(arg);
        Assert.Equal(2, exitCode);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public async Task Help_lists_every_flag_with_defaults_and_exits_0()
    {
        var (exitCode, stdout, _) = await Run("-h");
        Assert.Equal(0, exitCode);
        Assert.Contains("-libvirt.uri", stdout);
        Assert.Contains("(default \"qemu:///system\")", stdout);
        Assert.Contains("-collector.cpu", stdout);
        Assert.Contains("-tor.enable", stdout);
    }

    [Fact]
    public async Task A_port_already_in_use_is_a_clear_startup_error()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var (exitCode, _, stderr) = await Run($"-web.listen-address=127.0.0.1:{port}", $"-libvirt.uri=test://{RepoPaths.SampleNode}");
        Assert.Equal(1, exitCode);
        Assert.Contains("cannot start", stderr);
    }
}
