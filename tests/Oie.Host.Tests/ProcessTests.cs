using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Oie.Host.Tests;

/// <summary>The built executable, as an operator's unit file runs it.</summary>
public class ProcessTests
{
    private static Task<(int ExitCode, string Stdout, string Stderr)> Run(params string[] args) =>
        ProcessRunner.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "openstack_instance_exporter.dll"), .. args]);

    [Theory]
    [InlineData("-no.such.flag", "flag provided but not defined: -no.such.flag")]
    [InlineData("-collection.interval=fast", "invalid value \"fast\" for flag -collection.interval")]
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
    public async Task Help_lists_every_flag_in_gos_format_on_stderr_and_exits_0()
    {
        var (exitCode, stdout, stderr) = await Run("-h");
        Assert.Equal(0, exitCode);
        Assert.Equal("", stdout);
        Assert.StartsWith("Usage of openstack_instance_exporter:\n", stderr, StringComparison.Ordinal);
        Assert.Contains("\n  -libvirt.uri string\n    \tLibvirt connection URI (opened read-only). (default \"qemu:///system\")\n", stderr);
        Assert.Contains("\n  -web.max-requests int\n", stderr);
        // A multi-line usage continues under the tab; a zero duration has no default.
        Assert.Contains("\n  -libvirt.timeout duration\n    \tDeadline for one cycle's libvirt read; past it the cycle reports libvirt unavailable (a hung QEMU\n    \tcan block", stderr);
        Assert.Contains("0 means one -collection.interval.\n", stderr);
        Assert.Contains("\n  -collection.interval duration\n", stderr);
        Assert.Contains("\n  -conntrack.min int\n", stderr);
        Assert.Contains("\n  -cpu.min float\n", stderr);
        Assert.Contains("\n  -static.cache.expiration duration\n", stderr);
        Assert.Contains("(default 1h0m0s)\n", stderr);
        // A boolean has no type, and Go prints no default that is the zero value.
        Assert.Contains("\n  -tor.enable\n    \tEnable the tor threat-intel feed.\n", stderr);
        Assert.Contains("\n  -collector.cpu\n", stderr);
        Assert.DoesNotContain("(default false)", stderr);
        Assert.DoesNotContain("(default \"\")", stderr);
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

    /// <summary>Flags are the only configuration. Under systemd the working directory is /: a host that watched its
    /// content root for appsettings.json put an inotify watch on every directory of the machine, and one that read
    /// appsettings.json or ASPNETCORE_URLS would take listeners nobody asked for.</summary>
    [Fact]
    public async Task The_working_directory_and_aspnetcore_variables_are_neither_read_nor_watched()
    {
        var dir = Directory.CreateTempSubdirectory("oie-cwd-");
        try
        {
            for (var i = 0; i < 20; i++)
                Directory.CreateDirectory(Path.Combine(dir.FullName, $"d{i}", "sub"));
            var (configPort, environmentPort) = (FreePort(), FreePort());
            File.WriteAllText(Path.Combine(dir.FullName, "appsettings.json"),
                $$"""{ "urls": "http://127.0.0.1:{{configPort}}", "Kestrel": { "Endpoints": { "Extra": { "Url": "http://127.0.0.1:{{configPort}}" } } } }""");
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = dir.FullName, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "openstack_instance_exporter.dll"), "-web.listen-address=127.0.0.1:0", $"-libvirt.uri=test://{RepoPaths.SampleNode}" })
                start.ArgumentList.Add(arg);
            start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{environmentPort}";
            start.Environment["DOTNET_URLS"] = $"http://127.0.0.1:{environmentPort}";
            using var process = Process.Start(start)!;
            _ = process.StandardError.ReadToEndAsync();
            try
            {
                var port = await ServingPort(process).WaitAsync(TimeSpan.FromSeconds(60));
                _ = process.StandardOutput.ReadToEndAsync();

                Assert.Equal(0, InotifyWatches(process.Id));
                using var http = new HttpClient();
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{port}/metrics")).StatusCode);
                Assert.False(Accepts(configPort), "appsettings.json in the working directory opened a listener");
                Assert.False(Accepts(environmentPort), "ASPNETCORE_URLS opened a listener");
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<int> ServingPort(Process process)
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            var serving = Regex.Match(line, @"serving http://127\.0\.0\.1:(\d+)/");
            if (serving.Success)
                return int.Parse(serving.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException("the exporter exited before serving");
    }

    /// <summary>Watches held by the process's inotify instances (one "inotify wd:" line each in fdinfo).</summary>
    private static int InotifyWatches(int pid) =>
        new DirectoryInfo($"/proc/{pid}/fd").EnumerateFileSystemInfos()
            .Where(fd => fd.LinkTarget == "anon_inode:inotify")
            .Sum(fd => File.ReadLines($"/proc/{pid}/fdinfo/{fd.Name}").Count(l => l.StartsWith("inotify ", StringComparison.Ordinal)));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool Accepts(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
