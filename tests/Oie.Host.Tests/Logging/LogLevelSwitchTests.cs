using System.Net;
using Microsoft.Extensions.Logging;
using Oie.Host.Http;
using Oie.Host.Logging;

namespace Oie.Host.Tests.Logging;

public class LogLevelSwitchTests
{
    [Theory]
    [InlineData(LogLevel.Error, "Oie.Host.Collection.CollectionCycle", LogLevel.Error, true)]
    [InlineData(LogLevel.Error, "Oie.Host.Collection.CollectionCycle", LogLevel.Warning, false)]
    [InlineData(LogLevel.Error, "Oie.Host.Collection.CollectionCycle", LogLevel.Information, false)]
    [InlineData(LogLevel.Information, "Oie.Host.Collection.CollectionCycle", LogLevel.Warning, true)]
    [InlineData(LogLevel.Information, "Oie.Host.Collection.CollectionCycle", LogLevel.Information, true)]
    [InlineData(LogLevel.Information, "Oie.Host.Collection.CollectionCycle", LogLevel.Debug, false)]
    [InlineData(LogLevel.Debug, "Oie.Host.Collection.CollectionCycle", LogLevel.Debug, true)]
    [InlineData(LogLevel.Debug, "Oie.Host.Collection.CollectionCycle", LogLevel.Trace, false)]
    [InlineData(LogLevel.Error, "Microsoft.AspNetCore.Server.Kestrel", LogLevel.Warning, true)]
    [InlineData(LogLevel.Information, "Microsoft.Hosting.Lifetime", LogLevel.Information, false)]
    [InlineData(LogLevel.Debug, "Microsoft.Hosting.Lifetime", LogLevel.Information, true)]
    [InlineData(LogLevel.Debug, "Microsoft.AspNetCore.Server.Kestrel", LogLevel.Debug, false)]
    [InlineData(LogLevel.Information, "System.Net.Http.HttpClient.feeds", LogLevel.Information, false)]
    [InlineData(LogLevel.Error, LogLevelSwitch.ChangeCategory, LogLevel.Warning, true)]
    [InlineData(LogLevel.Error, LogLevelSwitch.AuthCategory, LogLevel.Warning, true)]
    [InlineData(LogLevel.Error, LogLevelSwitch.TlsCategory, LogLevel.Warning, true)]
    [InlineData(LogLevel.Error, LogLevelSwitch.AuthCategory, LogLevel.Information, false)]
    [InlineData(LogLevel.Error, LogLevelSwitch.ChangeCategory, LogLevel.Information, false)]
    [InlineData(LogLevel.Debug, "Oie.Host.Collection.CollectionCycle", LogLevel.None, false)]
    public void The_filter_follows_the_level(LogLevel level, string category, LogLevel eventLevel, bool enabled) =>
        Assert.Equal(enabled, new LogLevelSwitch(level).IsEnabled(category, eventLevel));

    [Fact]
    public void The_seed_numbers_and_names()
    {
        var levels = new LogLevelSwitch(LogLevel.Error);
        Assert.Equal(0, levels.Number);
        levels.Level = LogLevel.Information;
        Assert.Equal(1, levels.Number);
        levels.Level = LogLevel.Trace;
        Assert.Equal((2, LogLevel.Debug), (levels.Number, levels.Level));
        levels.Level = LogLevel.Critical;
        Assert.Equal(0, levels.Number);
        Assert.Null(LogLevelSwitch.Parse("info", out var info));
        Assert.Equal(LogLevel.Information, info);
        // Go's parseLogLevel lowercases: any case is the level.
        Assert.Null(LogLevelSwitch.Parse("INFO", out var upper));
        Assert.Equal(LogLevel.Information, upper);
        Assert.Null(LogLevelSwitch.Parse("DeBuG", out var mixed));
        Assert.Equal(LogLevel.Debug, mixed);
        Assert.NotNull(LogLevelSwitch.Parse("", out _));
        Assert.NotNull(LogLevelSwitch.Parse(" info", out _));
    }

    [Theory]
    [InlineData("loud")]
    [InlineData("")]
    [InlineData("warn")]
    public void An_unknown_flag_level_is_error_as_go_did_and_names_what_was_ignored(string text)
    {
        Assert.Null(LogLevelSwitch.ParseFlag(text, out var level, out var ignored));
        Assert.Equal(LogLevel.Error, level);
        Assert.Equal($"unknown level \"{text}\" ignored, starting at error (the Go exporter's fallback); want one of error, info, debug", ignored);
    }

    [Fact]
    public void Start_notices_about_the_command_line_pass_at_warning_whatever_the_level()
    {
        var levels = new LogLevelSwitch(LogLevel.Error);
        Assert.True(levels.IsEnabled(LogLevelSwitch.StartCategory, LogLevel.Warning));
        Assert.False(levels.IsEnabled(LogLevelSwitch.StartCategory, LogLevel.Information));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.45.6.7", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("::ffff:127.9.9.9", true)]
    [InlineData("10.0.0.1", false)]
    [InlineData("192.168.1.10", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("2001:db8::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("128.0.0.1", false)]
    public void Only_loopback_peers_may_change_the_level(string address, bool loopback) =>
        Assert.Equal(loopback, LogLevelEndpoint.IsLoopback(IPAddress.Parse(address)));

    [Fact]
    public void An_unknown_peer_is_not_loopback() => Assert.False(LogLevelEndpoint.IsLoopback(null));
}
