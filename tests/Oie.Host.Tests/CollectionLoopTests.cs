using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Oie.Abstractions;
using Oie.Generated;
using Oie.Host.Collection;
using Oie.Host.CommandLine;

namespace Oie.Host.Tests;

/// <summary>The loop's schedule, driven by a fake clock: cycles are never stacked and never drift.</summary>
public sealed class CollectionLoopTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
    private readonly Channel<CycleSnapshot> _cycles = Channel.CreateUnbounded<CycleSnapshot>();
    private WebApplication _app = null!;
    private long _start;

    public async Task InitializeAsync()
    {
        var commandLine = new ExporterCommandLine(PluginRegistry.Collectors);
        Assert.True(commandLine.Parse([$"-libvirt.uri=test://{RepoPaths.SampleNode}", "-web.listen-address=127.0.0.1:0"]).Success);
        _app = TestExporter.Build(commandLine, _time);
        _app.CollectionLoop().WaitingForNextSlot += s => _cycles.Writer.TryWrite(s!);
        _start = _time.GetTimestamp();
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<CycleSnapshot> Next() => await _cycles.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    private TimeSpan SinceStart(CycleSnapshot s) => TimeSpan.FromSeconds((s.Timestamp - _start) / (double)_time.TimestampFrequency);

    [Fact]
    public async Task The_first_cycle_runs_at_start_and_the_next_ones_on_the_interval()
    {
        Assert.Equal(TimeSpan.Zero, SinceStart(await Next()));
        _time.Advance(Interval);
        Assert.Equal(Interval, SinceStart(await Next()));
        _time.Advance(Interval);
        Assert.Equal(2 * Interval, SinceStart(await Next()));
    }

    [Fact]
    public async Task Missed_ticks_are_not_stacked_into_extra_cycles()
    {
        await Next();
        _time.Advance(3 * Interval); // as if the loop had been stalled for three intervals
        Assert.Equal(3 * Interval, SinceStart(await Next()));
        _time.Advance(Interval);
        // A stacked backlog would have produced another cycle at 3 intervals before this one.
        Assert.Equal(4 * Interval, SinceStart(await Next()));
    }
}
