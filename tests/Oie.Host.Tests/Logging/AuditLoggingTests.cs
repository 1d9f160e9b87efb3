using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Oie.Host.Http;
using Oie.Host.Logging;

namespace Oie.Host.Tests.Logging;

/// <summary>
/// Issue 15: log-level changes are an audit trail (every one written, through the real throttle), a change a web page
/// could make for a browser (foreign Origin, a Host that is not ours) is refused, a failure soon after a recovery is
/// written again, and durations read as Go prints them.
/// </summary>
public sealed partial class AuditLoggingTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 6, 0, 0, TimeSpan.Zero));
    private readonly LogRecorder _recorder;
    private readonly ThrottlingLoggerProvider _provider;
    private readonly LogLevelSwitch _levels = new(LogLevel.Error);
    private readonly LogLevelEndpoint _endpoint;

    public AuditLoggingTests()
    {
        _recorder = new LogRecorder(_time);
        _provider = new ThrottlingLoggerProvider(_recorder, _time, ExporterLogging.ThrottleWindow);
        _endpoint = new LogLevelEndpoint(_levels, new Logger<LogLevelSwitch>(new ProviderFactory(_provider)));
    }

    public void Dispose() => _provider.Dispose();

    private async Task<(int Status, string Body)> Set(string level, string host = "127.0.0.1:9120", string? origin = null, string local = "127.0.0.1")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Scheme = "http";
        context.Request.QueryString = new QueryString("?level=" + level);
        context.Request.Host = new HostString(host);
        if (origin is not null)
            context.Request.Headers.Origin = origin;
        context.Connection.RemoteIpAddress = IPAddress.Parse(local);
        context.Connection.LocalIpAddress = IPAddress.Parse(local);
        context.Connection.LocalPort = 9120;
        var body = new MemoryStream();
        context.Response.Body = body;
        await _endpoint.Handle(context);
        return (context.Response.StatusCode, System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public async Task Seven_changes_in_a_second_are_seven_lines()
    {
        foreach (var level in new[] { "debug", "error", "debug", "error", "info", "error", "info" })
        {
            Assert.Equal((200, $"log level set to {level}\n"), await Set(level));
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }
        var changes = _recorder.Events.Where(e => e.Category == LogLevelSwitch.ChangeCategory).Select(e => e.Message).ToList();
        Assert.Equal(7, changes.Count);
        Assert.Equal("log level changed from error to debug by 127.0.0.1", changes[0]);
        Assert.Equal("log level changed from error to info by 127.0.0.1", changes[6]);
    }

    [Theory]
    [InlineData("127.0.0.1:9120", "http://evil.example", "Origin \"http://evil.example\" is not this exporter's (http://127.0.0.1:9120)")]
    [InlineData("127.0.0.1:9120", "null", "Origin \"null\"")]
    [InlineData("127.0.0.1:9120", "http://127.0.0.1:8080", "Origin \"http://127.0.0.1:8080\"")]
    [InlineData("rebind.evil.example:9120", null, "Host \"rebind.evil.example:9120\" is not an address this exporter listens on")]
    [InlineData("127.0.0.1:9121", null, "Host \"127.0.0.1:9121\"")]
    [InlineData("127.0.0.2:9120", null, "Host \"127.0.0.2:9120\"")]
    public async Task A_change_from_a_web_page_or_a_foreign_host_name_is_refused(string host, string? origin, string reason)
    {
        var (status, body) = await Set("debug", host, origin);
        Assert.Equal(403, status);
        Assert.StartsWith("refused: " + reason, body, StringComparison.Ordinal);
        Assert.Contains("the level is unchanged", body, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Error, _levels.Level);
        Assert.Contains(_recorder.Events, e => e.Message.StartsWith("refused a log level change from 127.0.0.1: " + reason, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("127.0.0.1:9120", "http://127.0.0.1:9120", "127.0.0.1")]
    [InlineData("localhost:9120", null, "127.0.0.1")]
    [InlineData("localhost:9120", "http://localhost:9120", "::1")]
    [InlineData("[::1]:9120", null, "::1")]
    public async Task A_change_from_our_own_address_or_origin_is_accepted(string host, string? origin, string local)
    {
        Assert.Equal((200, "log level set to debug\n"), await Set("debug", host, origin, local));
        Assert.Equal(LogLevel.Debug, _levels.Level);
    }

    [Fact]
    public async Task A_change_naming_this_machine_by_its_host_name_is_accepted()
    {
        Assert.Equal((200, "log level set to info\n"), await Set("info", Dns.GetHostName() + ":9120", $"http://{Dns.GetHostName()}:9120"));
        Assert.Equal(LogLevel.Information, _levels.Level);
    }

    [Fact]
    public void A_failure_that_comes_back_soon_after_a_recovery_is_written_again()
    {
        var logger = _provider.CreateLogger("Oie.Host.Collection.CollectionCycle");
        LibvirtDown(logger, "connection refused");
        _time.Advance(TimeSpan.FromSeconds(30));
        LibvirtBack(logger);
        _time.Advance(TimeSpan.FromSeconds(30));
        LibvirtDown(logger, "connection refused");
        Assert.Equal(["libvirt unavailable: connection refused", "libvirt available again", "libvirt unavailable: connection refused"],
            _recorder.Events.Select(e => e.Message));
    }

    [Fact]
    public void Durations_are_written_as_go_prints_them_in_the_message_and_the_field()
    {
        var output = new StringWriter();
        var logger = new FormattingLogger("Oie.Test", new LogfmtFormatter(_levels, _time), output);
        RetryIn(logger, TimeSpan.FromSeconds(80));
        RetryIn(logger, TimeSpan.FromTicks(9_999_995));
        RetryIn(logger, TimeSpan.FromMilliseconds(150));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith("msg=\"retrying in 1m20s\" Retry=1m20s", lines[0]);
        Assert.EndsWith("msg=\"retrying in 999.9995ms\" Retry=999.9995ms", lines[1]);
        Assert.EndsWith("msg=\"retrying in 150ms\" Retry=150ms", lines[2]);
        var json = new StringWriter();
        RetryIn(new FormattingLogger("Oie.Test", new JsonLineFormatter(_levels, _time), json), TimeSpan.FromSeconds(1));
        Assert.EndsWith("\"msg\":\"retrying in 1s\",\"Retry\":\"1s\"}\n", json.ToString());
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "libvirt unavailable: {Error}")]
    private static partial void LibvirtDown(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, EventName = ThrottlingLoggerProvider.RecoveredEventName + ".test", Message = "libvirt available again")]
    private static partial void LibvirtBack(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "retrying in {Retry}")]
    private static partial void RetryIn(ILogger logger, TimeSpan retry);

    private sealed class ProviderFactory(ILoggerProvider provider) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => provider.CreateLogger(categoryName);
        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();
        public void Dispose() { }
    }
}
