using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Oie.Generated;
using Oie.Host.CommandLine;
using Oie.Host.Logging;

namespace Oie.Host.Tests.Logging;

/// <summary>/debug/log-level over real HTTP on 127.0.0.1 (a loopback peer), against the whole exporter in-process.</summary>
public sealed class LogLevelEndpointTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly HttpClient _http = new();
    private readonly LogRecorder _recorder = new();
    private readonly List<WebApplication> _apps = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        _http.Dispose();
    }

    private async Task<(string BaseUrl, WebApplication App)> Start(params string[] args)
    {
        var commandLine = new ExporterCommandLine(PluginRegistry.Collectors);
        var parsed = commandLine.Parse([$"-libvirt.uri=test://{RepoPaths.SampleNode}", "-web.listen-address=127.0.0.1:0", .. args]);
        Assert.True(parsed.Success, parsed.Error);
        var app = TestExporter.Build(commandLine, _time);
        _apps.Add(app);
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(_recorder);
        await app.StartAsync();
        return (app.Urls.Single().TrimEnd('/') + "/debug/log-level", app);
    }

    private async Task<(HttpStatusCode Status, string Body)> Send(HttpMethod method, string url)
    {
        using var response = await _http.SendAsync(new HttpRequestMessage(method, url));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Reading_answers_as_go_did_current_log_level_n()
    {
        var (url, _) = await Start();
        Assert.Equal((HttpStatusCode.OK, "current log level: 0\n"), await Send(HttpMethod.Get, url));
        var (infoUrl, _) = await Start("-log.level=info");
        Assert.Equal((HttpStatusCode.OK, "current log level: 1\n"), await Send(HttpMethod.Get, infoUrl));
        // Go: an absent or empty level= is a read, by GET or POST.
        Assert.Equal((HttpStatusCode.OK, "current log level: 1\n"), await Send(HttpMethod.Get, infoUrl + "?level="));
        Assert.Equal((HttpStatusCode.OK, "current log level: 1\n"), await Send(HttpMethod.Post, infoUrl));
        Assert.Equal((HttpStatusCode.OK, "current log level: 1\n"), await Send(HttpMethod.Post, infoUrl + "?level=&level=debug"));
    }

    [Fact]
    public async Task Get_and_post_with_a_level_set_it_from_loopback_answering_as_go_did()
    {
        var (url, app) = await Start();
        var levels = app.Services.GetRequiredService<LogLevelSwitch>();
        Assert.Equal((HttpStatusCode.OK, "log level set to info\n"), await Send(HttpMethod.Get, url + "?level=info"));
        Assert.Equal(LogLevel.Information, levels.Level);
        Assert.Equal((HttpStatusCode.OK, "current log level: 1\n"), await Send(HttpMethod.Get, url));
        Assert.Equal((HttpStatusCode.OK, "log level set to debug\n"), await Send(HttpMethod.Post, url + "?level=debug"));
        Assert.Equal(LogLevel.Debug, levels.Level);
        Assert.Equal((HttpStatusCode.OK, "log level set to error\n"), await Send(HttpMethod.Post, url + "?level=error"));
        Assert.Equal(LogLevel.Error, levels.Level);
        // Case-insensitive, as Go's strings.ToLower; the answer names the level as asked, as Go's did.
        Assert.Equal((HttpStatusCode.OK, "log level set to INFO\n"), await Send(HttpMethod.Post, url + "?level=INFO"));
        Assert.Equal(LogLevel.Information, levels.Level);
        Assert.Equal((HttpStatusCode.OK, "log level set to Debug\n"), await Send(HttpMethod.Get, url + "?level=Debug&level=error"));
        Assert.Equal(LogLevel.Debug, levels.Level);
    }

    [Theory]
    [InlineData("GET", "?level=verbose")]
    [InlineData("GET", "?level=2")]
    [InlineData("POST", "?level=%20info")]
    [InlineData("POST", "?level=verbose&level=debug")]
    public async Task An_unknown_level_is_400_naming_the_valid_ones_and_changes_nothing(string method, string query)
    {
        var (url, app) = await Start("-log.level=info");
        var (status, body) = await Send(new HttpMethod(method), url + query);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("error, info, debug", body);
        Assert.Equal(LogLevel.Information, app.Services.GetRequiredService<LogLevelSwitch>().Level);
    }

    [Fact]
    public async Task Other_methods_are_405()
    {
        var (url, _) = await Start();
        using var response = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Put, url + "?level=debug"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET, POST", string.Join(", ", response.Content.Headers.Allow));
    }

    [Fact]
    public async Task Disabled_by_flag_it_is_404()
    {
        var (url, _) = await Start("-web.debug-log-level.enable=false");
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, url)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Post, url + "?level=debug")).Status);
    }

    [Fact]
    public async Task The_level_set_over_http_changes_what_every_logger_writes_and_the_change_is_always_logged()
    {
        var (url, app) = await Start();
        var probe = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Oie.Host.Tests.Probe");
        var framework = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Probe");
        void LogAll(string tag)
        {
            probe.LogError("error {Tag}", tag);
            probe.LogInformation("info {Tag}", tag);
            probe.LogDebug("debug {Tag}", tag);
            framework.LogInformation("framework info {Tag}", tag);
        }

        LogAll("a");
        await Send(HttpMethod.Get, url + "?level=info");
        LogAll("b");
        await Send(HttpMethod.Post, url + "?level=debug");
        LogAll("c");
        await Send(HttpMethod.Post, url + "?level=error");
        LogAll("d");

        var probes = _recorder.Events.Where(e => e.Category.EndsWith(".Probe", StringComparison.Ordinal)).Select(e => e.Message);
        Assert.Equal(["error a", "error b", "info b", "error c", "info c", "debug c", "framework info c", "error d"], probes);
        var changes = _recorder.Events.Where(e => e.Category == LogLevelSwitch.ChangeCategory).ToList();
        Assert.All(changes, e => Assert.Equal(LogLevel.Warning, e.Level));
        Assert.Equal(["log level changed from error to info by 127.0.0.1", "log level changed from info to debug by 127.0.0.1",
            "log level changed from debug to error by 127.0.0.1"], changes.Select(e => e.Message));
    }
}
