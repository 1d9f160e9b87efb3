using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Oie.Generated;
using Oie.Host.CommandLine;
using Oie.Host.Http;

namespace Oie.Host.Tests;

/// <summary>-web.max-requests: scrapes beyond the cap get 503 at once rather than queueing.</summary>
public sealed class ScrapeLimitTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private string _url = "";

    public async Task InitializeAsync()
    {
        var commandLine = new ExporterCommandLine(PluginRegistry.Collectors, PluginRegistry.Feeds);
        Assert.True(commandLine.Parse([$"-libvirt.uri=test://{RepoPaths.SampleNode}", "-web.listen-address=127.0.0.1:0",
            $"-conntrack.path={RepoPaths.SampleConntrack}", "-web.max-requests=1"]).Success);
        _app = TestExporter.Build(commandLine, new FakeTimeProvider(DateTimeOffset.UtcNow));
        await _app.StartAsync();
        _url = _app.Urls.Single().TrimEnd('/') + "/metrics";
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_scrape_beyond_the_cap_gets_503_and_the_slot_frees_afterwards()
    {
        using var http = new HttpClient();
        var limiter = _app.Services.GetRequiredService<ScrapeLimiter>();
        Assert.True(limiter.TryEnter()); // a scrape in flight
        var refused = await http.GetAsync(_url);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("-web.max-requests=1", await refused.Content.ReadAsStringAsync());
        limiter.Exit();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(_url)).StatusCode);
        Assert.Equal(0, limiter.InFlight);
    }

    [Fact]
    public void The_limiter_counts_slots_and_zero_means_no_cap()
    {
        var one = new ScrapeLimiter(1);
        Assert.True(one.TryEnter());
        Assert.False(one.TryEnter());
        Assert.Equal(1, one.InFlight);
        one.Exit();
        Assert.True(one.TryEnter());

        var unlimited = new ScrapeLimiter(0);
        for (var i = 0; i < 100; i++)
            Assert.True(unlimited.TryEnter());
    }
}

/// <summary>SIGTERM stops the exporter cleanly, as systemd does on stop.</summary>
public class GracefulShutdownTests
{
    [Fact]
    public async Task Sigterm_stops_the_exporter_with_status_0()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "openstack_instance_exporter.dll"),
                     "-web.listen-address=127.0.0.1:0", $"-libvirt.uri=test://{RepoPaths.SampleNode}", $"-conntrack.path={RepoPaths.SampleConntrack}" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        try
        {
            // Log lines share stdout; wait for the one that says the server is up.
            string? line;
            do
                line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            while (line is not null && !line.Contains("serving http://", StringComparison.Ordinal));
            Assert.NotNull(line);
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }
}
