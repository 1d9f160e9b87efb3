using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Oie.Abstractions;
using Oie.Host.Collection;
using Oie.Host.CommandLine;
using Oie.Host.Exposition;
using Oie.Libvirt;

namespace Oie.Host.Tests;

/// <summary>One cycle over the real libvirt test driver with hand-made collectors that succeed, fail or write host-wide samples.</summary>
public sealed class CollectionCycleTests : IDisposable
{
    private static readonly MetricFamily Good = new("oie_good", "Good", MetricType.Gauge, "domain");
    private static readonly MetricFamily Broken = new("oie_broken", "Broken", MetricType.Gauge, "domain");
    private static readonly MetricFamily Sourced = new("oie_sourced", "Sourced", MetricType.Gauge, "domain");
    private static readonly MetricFamily HostWide = new("oie_host_wide", "Host wide", MetricType.Gauge);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
    private readonly LibvirtInstanceSource _libvirt;
    private readonly ExpositionStore _store;
    private readonly CollectionCycle _cycle;
    private readonly FailingSource _source = new();

    public CollectionCycleTests()
    {
        _libvirt = new LibvirtInstanceSource($"test://{RepoPaths.SampleNode}", NullLogger<LibvirtInstanceSource>.Instance, _time);
        NamedCollector[] collectors =
        [
            new("good", new DelegateCollector([Good, HostWide], (s, w) =>
            {
                foreach (var i in s.Instances)
                    w.Write(Good, i, 1, i.Facts.Domain);
                w.WriteHostSample(HostWide, 42);
            })),
            new("broken", new DelegateCollector([Broken], (s, w) =>
            {
                w.Write(Broken, s.Instances[0], 1, s.Instances[0].Facts.Domain);
                throw new InvalidOperationException("bug");
            })),
            new("conntrack", new DelegateCollector([Sourced], (s, w) =>
            {
                w.Write(Sourced, s.Instances[0], 1, s.Instances[0].Facts.Domain);
                if (_source.Failing)
                    throw new CollectorSourceException("conntrack", "conntrack exited with status 1");
            })),
        ];
        var families = new FamilyTable(collectors.Select(c => c.Collector.Families));
        var self = new SelfMetrics(collectors.Select(c => c.Name));
        _store = new ExpositionStore(families, new CacheTtls(TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), TimeSpan.FromSeconds(10)),
            _time, self.WriteTo);
        _cycle = new CollectionCycle(_libvirt, null, collectors, families, _store, self, _time, NullLogger<CollectionCycle>.Instance);
    }

    public void Dispose() => _libvirt.Dispose();

    private string Body() => Encoding.UTF8.GetString(_store.Current().Body);

    [Fact]
    public void A_throwing_collector_loses_only_its_own_samples_and_is_reported()
    {
        _cycle.Run();
        var body = Body();
        Assert.Contains("oie_good{domain=", body);
        Assert.DoesNotContain("oie_broken{", body);
        Assert.Contains("oie_exporter_collector_success{collector=\"broken\"} 0", body);
        Assert.Contains("oie_exporter_collector_success{collector=\"good\"} 1", body);
        Assert.Contains("oie_exporter_collection_errors_total{source=\"collector\"} 1", body);
    }

    [Fact]
    public void A_failed_source_drops_that_cycles_samples_counts_by_source_and_recovers()
    {
        _cycle.Run();
        Assert.Contains("oie_sourced{", Body());
        _source.Failing = true;
        _cycle.Run();
        var failed = Body();
        Assert.DoesNotContain("oie_sourced{", failed);
        Assert.Contains("oie_exporter_collection_errors_total{source=\"conntrack\"} 1", failed);
        Assert.Contains("oie_exporter_collector_success{collector=\"conntrack\"} 0", failed);
        _source.Failing = false;
        _cycle.Run();
        Assert.Contains("oie_sourced{", Body());
        Assert.Contains("oie_exporter_collector_success{collector=\"conntrack\"} 1", Body());
    }

    [Fact]
    public void Host_wide_samples_are_served_once_and_survive_instance_churn()
    {
        _cycle.Run();
        var body = Body();
        Assert.Contains("# TYPE oie_host_wide gauge\noie_host_wide 42\n", body);
        Assert.Equal(1, CountOccurrences(body, "oie_host_wide 42"));
        Assert.Equal(8, _store.InstanceCount);
    }

    [Fact]
    public void Before_the_first_cycle_no_success_or_libvirt_state_is_claimed()
    {
        var self = new SelfMetrics(["good"]);
        using var before = new MemoryStream();
        self.WriteTo(before);
        var text = Encoding.UTF8.GetString(before.ToArray());
        Assert.DoesNotContain("oie_exporter_collector_success{", text);
        Assert.DoesNotMatch("(?m)^oie_exporter_libvirt_up ", text);
        Assert.DoesNotMatch("(?m)^oie_exporter_instances ", text);
        Assert.Contains("oie_exporter_collection_errors_total{source=\"good\"} 0", text);

        _cycle.Run();
        var after = Body();
        Assert.Contains("oie_exporter_collector_success{collector=\"good\"} 1", after);
        Assert.Contains("oie_exporter_collector_success{collector=\"broken\"} 0", after);
    }

    [Fact]
    public void Stage_durations_and_last_success_are_reported()
    {
        _cycle.Run();
        var body = Body();
        foreach (var stage in new[] { "libvirt", "collectors", "render", "gc" })
            Assert.Contains($"oie_exporter_collection_duration_seconds{{stage=\"{stage}\"}}", body);
        foreach (var collector in new[] { "good", "broken", "conntrack" })
            Assert.Contains($"oie_exporter_collector_duration_seconds{{collector=\"{collector}\"}}", body);
        // A collector's duration is not repeated as a stage (a collector and the conntrack read can share a name).
        Assert.DoesNotContain("oie_exporter_collection_duration_seconds{stage=\"good\"}", body);
        Assert.Contains("oie_exporter_libvirt_up 1", body);
        Assert.Contains("oie_exporter_instances 8", body);
    }

    [Fact]
    public void Each_cycle_collects_the_heap_once_after_publishing_and_times_it()
    {
        var families = new FamilyTable([[Good]]);
        var self = new SelfMetrics(["good"]);
        var store = new ExpositionStore(families, new CacheTtls(TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), TimeSpan.FromSeconds(10)),
            _time, self.WriteTo);
        var published = new List<bool>();
        var cycle = new CollectionCycle(_libvirt, null,
            [new("good", new DelegateCollector([Good], (s, w) => w.Write(Good, s.Instances[0], 1, s.Instances[0].Facts.Domain)))],
            families, store, self, _time, NullLogger<CollectionCycle>.Instance,
            collectHeap: () =>
            {
                // What the cycle made must already be served when the heap is collected: the previous exposition is
                // garbage only from then on.
                published.Add(Encoding.UTF8.GetString(store.Current().Body).Contains("oie_good{domain="));
                _time.Advance(TimeSpan.FromMilliseconds(7));
            });

        cycle.Run();
        cycle.Run();

        Assert.Equal([true, true], published);
        cycle.Run(); // the gc stage, like render, shows in the exposition after the cycle that timed it
        Assert.Contains("oie_exporter_collection_duration_seconds{stage=\"gc\"} 0.007", Encoding.UTF8.GetString(store.Current().Body));
    }

    [Fact]
    public void The_exposition_a_successful_cycle_publishes_carries_its_own_success_time()
    {
        var families = new FamilyTable([[Good]]);
        var self = new SelfMetrics(["good"]);
        var store = new ExpositionStore(families, new CacheTtls(TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), TimeSpan.FromSeconds(10)), _time, self.WriteTo);
        var cycle = new CollectionCycle(_libvirt, null, [new("good", new DelegateCollector([Good], (s, w) => { }))], families, store, self, _time,
            NullLogger<CollectionCycle>.Instance);
        _time.Advance(TimeSpan.FromSeconds(7));
        cycle.Run();
        var body = Encoding.UTF8.GetString(store.Current().Body);
        Assert.Contains($"oie_exporter_last_successful_collection_timestamp_seconds {_time.GetUtcNow().ToUnixTimeSeconds()}\n", body);
    }

    [Fact]
    public void Heap_bytes_allocated_by_the_last_cycle_are_reported()
    {
        _cycle.Run();
        _cycle.Run(); // the gauge is set after the cycle's render, so the second cycle's body shows the first's
        var line = Body().Split('\n').Single(l => l.StartsWith("oie_exporter_collection_allocated_bytes ", StringComparison.Ordinal));
        var bytes = double.Parse(line["oie_exporter_collection_allocated_bytes ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        // A cycle over the 8-instance sample node reads libvirt, builds samples and renders: more than nothing,
        // far less than the 9 MB exposition of 1,000 instances.
        Assert.InRange(bytes, 1_000, 50_000_000);
    }

    /// <summary>Issue 15: a failure that came back within the throttle's 5 minutes of its recovery was only counted,
    /// so the log said "recovered" last while the source was down again.</summary>
    [Fact]
    public void A_source_failure_soon_after_its_recovery_is_logged_again()
    {
        var recorder = new Logging.LogRecorder(_time);
        using var provider = new Oie.Host.Logging.ThrottlingLoggerProvider(recorder, _time, Oie.Host.Logging.ExporterLogging.ThrottleWindow);
        var failing = new FailingSource();
        NamedCollector[] collectors =
        [
            new("conntrack", new DelegateCollector([Sourced], (s, w) =>
            {
                if (failing.Failing)
                    throw new CollectorSourceException("conntrack", "conntrack exited with status 1");
            })),
        ];
        var families = new FamilyTable(collectors.Select(c => c.Collector.Families));
        var self = new SelfMetrics(["conntrack"]);
        var store = new ExpositionStore(families, new CacheTtls(TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), TimeSpan.FromSeconds(10)), _time, self.WriteTo);
        var cycle = new CollectionCycle(_libvirt, null, collectors, families, store, self, _time,
            new Microsoft.Extensions.Logging.Logger<CollectionCycle>(new SingleProviderFactory(provider)));
        foreach (var fails in new[] { true, false, true })
        {
            failing.Failing = fails;
            cycle.Run();
            _time.Advance(TimeSpan.FromSeconds(10));
        }
        Assert.Equal(["collector conntrack: conntrack failed, its metrics are left out until it recovers: conntrack exited with status 1",
            "collector conntrack recovered",
            "collector conntrack: conntrack failed, its metrics are left out until it recovers: conntrack exited with status 1"],
            recorder.Events.Where(e => e.Message.StartsWith("collector ", StringComparison.Ordinal)).Select(e => e.Message));
    }

    private sealed class SingleProviderFactory(Microsoft.Extensions.Logging.ILoggerProvider provider) : Microsoft.Extensions.Logging.ILoggerFactory
    {
        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => provider.CreateLogger(categoryName);
        public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider) => throw new NotSupportedException();
        public void Dispose() { }
    }

    [Fact]
    public void Libvirt_unreachable_is_reported_and_instance_series_expire()
    {
        using var down = new LibvirtInstanceSource("test:///nonexistent/node.xml", NullLogger<LibvirtInstanceSource>.Instance, _time);
        var families = new FamilyTable([[Good]]);
        var self = new SelfMetrics(["good"]);
        var store = new ExpositionStore(families, new CacheTtls(TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), TimeSpan.FromSeconds(10)), _time, self.WriteTo);
        var cycle = new CollectionCycle(down, null, [new("good", new DelegateCollector([Good], (s, w) => { }))], families, store, self, _time,
            NullLogger<CollectionCycle>.Instance);
        var snapshot = cycle.Run();
        Assert.False(snapshot.LibvirtAvailable);
        var body = Encoding.UTF8.GetString(store.Current().Body);
        Assert.Contains("oie_exporter_libvirt_up 0", body);
        Assert.Contains("oie_exporter_collection_errors_total{source=\"libvirt\"} 1", body);
    }

    private static int CountOccurrences(string text, string value) => (text.Length - text.Replace(value, "").Length) / value.Length;

    private sealed class FailingSource
    {
        public bool Failing { get; set; }
    }

    private sealed class DelegateCollector(IReadOnlyList<MetricFamily> families, Action<CycleSnapshot, ISampleWriter> collect) : ICollector
    {
        public IReadOnlyList<MetricFamily> Families => families;
        public void Collect(CycleSnapshot snapshot, ISampleWriter writer) => collect(snapshot, writer);
    }
}
