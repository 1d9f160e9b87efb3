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
    [InlineData("-log.format=xml", "invalid value \"xml\" for flag -log.format: must be one of logfmt, json")]
    [InlineData("-web.debug-log-level.enable=maybe", "-web.debug-log-level.enable")]
    [InlineData("-tor.url=ftp://mirror.example/tor.json", "-tor.url")]
    [InlineData("-customlist.enable", "-customlist.path is empty")]
    public async Task Invalid_flags_exit_2_naming_the_flag(string arg, string message)
    {
        var (exitCode, _, stderr) = await Run(arg);
        Assert.Equal(2, exitCode);
        Assert.Contains(message, stderr);
    }

    [Theory]
    [InlineData("logfmt", "ts=")]
    [InlineData("json", "{")]
    public async Task Log_lines_on_stdout_are_in_the_chosen_format(string format, string start)
    {
        // libvirt cannot be opened, so the first cycle logs an error at the default level.
        var line = await ProcessRunner.FirstLineAsync("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "openstack_instance_exporter.dll"), "-web.listen-address=127.0.0.1:0",
             "-libvirt.uri=test:///nonexistent/node.xml", $"-log.format={format}"],
            l => l.Contains("libvirt unavailable", StringComparison.Ordinal) && l.Contains("CollectionCycle", StringComparison.Ordinal));
        Assert.StartsWith(start, line);
        if (format == "json")
        {
            var json = System.Text.Json.JsonDocument.Parse(line).RootElement;
            Assert.Equal("error", json.GetProperty("level").GetString());
            Assert.Equal("Oie.Host.Collection.CollectionCycle", json.GetProperty("logger").GetString());
            Assert.Contains("nonexistent", json.GetProperty("Error").GetString());
        }
        else
        {
            Assert.Matches(@"^ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z level=error logger=Oie\.Host\.Collection\.CollectionCycle msg=""libvirt unavailable, instance metrics will expire: [^""]+"" Error=""[^""]+""$", line);
        }
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
