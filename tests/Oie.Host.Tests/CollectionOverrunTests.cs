using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Oie.Abstractions;
using Oie.Host.Collection;
using Oie.Host.CommandLine;
using Oie.Host.Exposition;
using Oie.Libvirt;

namespace Oie.Host.Tests;

/// <summary>A cycle that takes longer than the interval: reported, and the overrun slots are skipped, not run back to back.</summary>
public sealed class CollectionOverrunTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
    private readonly LibvirtInstanceSource _libvirt;
    private readonly Channel<CycleSnapshot> _cycles = Channel.CreateUnbounded<CycleSnapshot>();
    private readonly SelfMetrics _self = new(["slow"]);
    private readonly CollectionCycle _cycle;
    private readonly ExpositionStore _store;
    private TimeSpan _nextCycleTakes = TimeSpan.Zero;

    public CollectionOverrunTests()
    {
        _libvirt = new LibvirtInstanceSource($"test://{RepoPaths.SampleNode}", NullLogger<LibvirtInstanceSource>.Instance, _time);
        var slow = new NamedCollector("slow", new SlowCollector(this));
        var families = new FamilyTable([slow.Collector.Families]);
        _store = new ExpositionStore(families, new CacheTtls(Interval, TimeSpan.FromHours(1), Interval), _time, _self.WriteTo);
        _cycle = new CollectionCycle(_libvirt, null, [slow], families, _store, _self, _time, NullLogger<CollectionCycle>.Instance);
    }

    public void Dispose() => _libvirt.Dispose();

    [Fact]
    public async Task An_overrun_is_counted_and_the_next_cycle_waits_for_the_next_slot()
    {
        using var loop = new CollectionLoop(_cycle, Interval, _time, _self, NullLogger<CollectionLoop>.Instance);
        loop.WaitingForNextSlot += s => _cycles.Writer.TryWrite(s!);
        var start = _time.GetTimestamp();
        _nextCycleTakes = TimeSpan.FromSeconds(25);
        await loop.StartAsync(CancellationToken.None);
        await _cycles.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        _time.Advance(TimeSpan.FromSeconds(5)); // now at 30 s: the slot after the overrun
        var next = await _cycles.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds((next.Timestamp - start) / (double)_time.TimestampFrequency));
        Assert.False(_cycles.Reader.TryRead(out _));
        Assert.Equal(1, _self.Overruns.Value);
        Assert.Contains("oie_exporter_collection_overruns_total 1", Encoding.UTF8.GetString(_store.Current().Body));
        await loop.StopAsync(CancellationToken.None);
    }

    private sealed class SlowCollector(CollectionOverrunTests test) : ICollector
    {
        public IReadOnlyList<MetricFamily> Families { get; } = [];

        public void Collect(CycleSnapshot snapshot, ISampleWriter writer)
        {
            test._time.Advance(test._nextCycleTakes);
            test._nextCycleTakes = TimeSpan.Zero;
        }
    }
}
