using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Oie.Host.Logging;

namespace Oie.Host.Tests.Logging;

public sealed partial class ThrottlingLoggerProviderTests : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 20, 0, 0, TimeSpan.Zero));
    private readonly LogRecorder _recorder;
    private readonly ThrottlingLoggerProvider _provider;
    private readonly ILogger _logger;

    public ThrottlingLoggerProviderTests()
    {
        _recorder = new LogRecorder(_time);
        _provider = new ThrottlingLoggerProvider(_recorder, _time, Window, maxTracked: 3);
        _logger = _provider.CreateLogger("Oie.Host.Collection.CollectionCycle");
    }

    public void Dispose() => _provider.Dispose();

    [Fact]
    public void An_identical_error_is_written_once_per_window_then_once_with_the_count()
    {
        for (var i = 0; i < 38; i++)
        {
            SourceFailed(_logger, "conntrack", "exit status 1");
            _time.Advance(TimeSpan.FromSeconds(5));
        }
        Assert.Single(_recorder.Events);
        _time.Advance(Window - TimeSpan.FromSeconds(5 * 38));
        var events = _recorder.Events;
        Assert.Equal(2, events.Count);
        Assert.Equal(events[0].Message, events[1].Message);
        Assert.Equal(LogLevel.Error, events[1].Level);
        Assert.Equal(37, events[1].Fields["repeated"]);
        Assert.Equal("conntrack", events[1].Fields["Collector"]);
        Assert.EndsWith(" Collector=conntrack Error=\"exit status 1\" repeated=37\n", events[1].Line);
        Assert.DoesNotContain("repeated", events[0].Line);
    }

    [Fact]
    public void A_persistent_error_gives_one_line_per_window_and_a_quiet_window_ends_the_throttle()
    {
        SourceFailed(_logger, "conntrack", "exit status 1");
        for (var i = 0; i < 30; i++)
        {
            _time.Advance(Window / 10);
            SourceFailed(_logger, "conntrack", "exit status 1");
        }
        // The first line, then one per window: 9 repeats in the first, 10 in each next (the occurrence at a window's end
        // opens the next one); one repeat pending.
        Assert.Equal([0, 9, 10, 10], Repeats());
        _time.Advance(Window);
        Assert.Equal([0, 9, 10, 10, 1], Repeats());
        _time.Advance(Window);
        Assert.Equal(5, _recorder.Events.Count);
        SourceFailed(_logger, "conntrack", "exit status 1");
        Assert.Equal([0, 9, 10, 10, 1, 0], Repeats());
    }

    private List<int> Repeats() =>
        [.. _recorder.Events.Select(e => e.Fields.TryGetValue("repeated", out var n) ? (int)n! : 0)];

    [Fact]
    public void Different_messages_levels_and_categories_are_not_merged_and_information_is_never_throttled()
    {
        SourceFailed(_logger, "conntrack", "exit status 1");
        SourceFailed(_logger, "conntrack", "exit status 2");
        SourceFailed(_provider.CreateLogger("Oie.Other"), "conntrack", "exit status 1");
        for (var i = 0; i < 5; i++)
            _logger.LogInformation("cycle done");
        Assert.Equal(3 + 5, _recorder.Events.Count);
    }

    [Fact]
    public void The_same_message_with_another_exception_is_another_event()
    {
        _logger.LogError(new IOException("a"), "cycle failed");
        _logger.LogError(new IOException("a"), "cycle failed");
        _logger.LogError(new IOException("b"), "cycle failed");
        Assert.Equal(2, _recorder.Events.Count);
    }

    [Fact]
    public void Beyond_the_tracked_cap_events_go_through_untracked()
    {
        for (var i = 0; i < 3; i++)
            SourceFailed(_logger, "c" + i, "x");
        SourceFailed(_logger, "c3", "x");
        SourceFailed(_logger, "c3", "x");
        Assert.Equal(5, _recorder.Events.Count);
    }

    [Fact]
    public void Disposing_writes_the_pending_counts()
    {
        SourceFailed(_logger, "conntrack", "exit status 1");
        SourceFailed(_logger, "conntrack", "exit status 1");
        SourceFailed(_logger, "conntrack", "exit status 1");
        _provider.Dispose();
        Assert.Equal(2, _recorder.Events.Count);
        Assert.Equal(2, _recorder.Events[1].Fields["repeated"]);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "collector {Collector} failed: {Error}")]
    private static partial void SourceFailed(ILogger logger, string collector, string error);
}
