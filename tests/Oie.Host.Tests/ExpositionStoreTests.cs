using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Oie.Abstractions;
using Oie.Host.Exposition;
using Oie.Testing;

namespace Oie.Host.Tests;

public class ExpositionStoreTests
{
    private static readonly MetricFamily Measured = new("oie_measured", "Measured", MetricType.Gauge, "domain");
    private static readonly MetricFamily Configured = new("oie_configured", "Configured", MetricType.Gauge, CacheLifetime.Static, "domain");
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
    private readonly FamilyTable _families = new([[Measured, Configured]]);
    private readonly ExpositionStore _store;
    private int _selfMetricWrites;

    public ExpositionStoreTests() =>
        _store = new ExpositionStore(_families, new CacheTtls(TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), Interval), _time,
            output => { _selfMetricWrites++; output.Write("self_metric 1\n"u8); });

    private void Cycle(bool libvirtUp, params Instance[] instances)
    {
        var snapshot = libvirtUp ? Testing.Cycle.Of(_time.GetTimestamp(), instances) : Testing.Cycle.LibvirtDown(_time.GetTimestamp());
        var samples = new CycleSamples(_families);
        foreach (var instance in snapshot.Instances)
        {
            samples.Write(Measured, instance, 1, instance.Facts.Domain);
            samples.Write(Configured, instance, 2, instance.Facts.Domain);
        }
        _store.Publish(snapshot, samples);
    }

    private string Body() => Encoding.UTF8.GetString(_store.Current().Body);

    private static Instance Vm(string name, string uuid) => InstanceBuilder.Nova(name, uuid).Build();

    [Fact]
    public void Groups_each_family_under_one_header_sorted_by_domain_then_appends_self_metrics()
    {
        Cycle(true, Vm("vm-b", "2"), Vm("vm-a", "1"));
        Assert.Equal(
            "# HELP oie_measured Measured\n# TYPE oie_measured gauge\n" +
            "oie_measured{domain=\"vm-a\"} 1\noie_measured{domain=\"vm-b\"} 1\n" +
            "# HELP oie_configured Configured\n# TYPE oie_configured gauge\n" +
            "oie_configured{domain=\"vm-a\"} 2\noie_configured{domain=\"vm-b\"} 2\n" +
            "self_metric 1\n",
            Body());
    }

    [Fact]
    public void Series_survive_until_ttl_plus_one_interval_then_vanish_while_libvirt_is_down()
    {
        Cycle(true, Vm("vm-a", "1"));
        Cycle(false);
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Contains("oie_measured{", Body());
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.DoesNotContain("oie_measured", Body());
        Assert.Contains("oie_configured{domain=\"vm-a\"} 2", Body());
        _time.Advance(TimeSpan.FromHours(1));
        Assert.DoesNotContain("oie_configured", Body());
    }

    [Fact]
    public void With_the_seed_defaults_a_series_does_not_blink_between_two_cycles()
    {
        Cycle(true, Vm("vm-a", "1"));
        _time.Advance(Interval + TimeSpan.FromSeconds(9)); // a cycle running late
        Assert.Contains("oie_measured{", Body());
        Cycle(true, Vm("vm-a", "1"));
        _time.Advance(Interval);
        Assert.Contains("oie_measured{", Body());
    }

    [Fact]
    public void Serving_the_same_exposition_twice_renders_once()
    {
        var writesBefore = _selfMetricWrites;
        Cycle(true, Vm("vm-a", "1"));
        var first = _store.Current();
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Same(first, _store.Current());
        Assert.Equal(writesBefore + 1, _selfMetricWrites);
    }

    [Fact]
    public void A_scrape_never_renders_expiry_is_rendered_once_in_the_background_when_a_sample_outlives_its_ttl()
    {
        Cycle(true, Vm("vm-a", "1"));
        Cycle(false);
        var published = _store.Current();
        var writes = _selfMetricWrites;

        _time.Advance(TimeSpan.FromSeconds(20)); // the measured sample's last servable tick
        Assert.Same(published, _store.Current());
        Assert.Equal(writes, _selfMetricWrites);

        _time.Advance(TimeSpan.FromTicks(1)); // the timer renders, not the scrape
        Assert.Equal(writes + 1, _selfMetricWrites);
        var expired = _store.Current();
        Assert.NotSame(published, expired);
        for (var i = 0; i < 5; i++)
            Assert.Same(expired, _store.Current());
        Assert.Equal(writes + 1, _selfMetricWrites);
        Assert.DoesNotContain("oie_measured", Encoding.UTF8.GetString(expired.Body));
        Assert.Contains("oie_configured{domain=\"vm-a\"} 2", Encoding.UTF8.GetString(expired.Body));
    }

    [Fact]
    public void Before_the_first_cycle_the_exporters_own_metrics_are_served()
    {
        Assert.Equal("self_metric 1\n", Body());
        Assert.Equal(1, _selfMetricWrites);
    }

    [Fact]
    public void An_instance_libvirt_no_longer_lists_is_dropped_at_once()
    {
        Cycle(true, Vm("vm-a", "1"), Vm("vm-b", "2"));
        Cycle(true, Vm("vm-b", "2"));
        Assert.DoesNotContain("vm-a", Body());
        Assert.Equal(1, _store.InstanceCount);
    }

    [Fact]
    public void An_instance_whose_samples_were_all_suppressed_serves_none_of_the_old_ones()
    {
        Cycle(true, Vm("vm-a", "1"));
        var snapshot = Testing.Cycle.Of(_time.GetTimestamp(), Vm("vm-a", "1"));
        _store.Publish(snapshot, new CycleSamples(_families));
        Assert.DoesNotContain("vm-a", Body());
    }

    [Fact]
    public void Cleanup_removes_entries_that_fully_expired_and_keeps_memory_flat()
    {
        Cycle(true, [.. Enumerable.Range(0, 50).Select(i => Vm($"vm-{i}", i.ToString()))]);
        Cycle(false);
        Assert.Equal(50, _store.InstanceCount);
        Assert.Equal(0, _store.RemoveExpired());
        _time.Advance(TimeSpan.FromHours(1) + Interval + TimeSpan.FromSeconds(1));
        Assert.Equal(50, _store.RemoveExpired());
        Assert.Equal(0, _store.InstanceCount);
        Assert.Equal("self_metric 1\n", Body());
    }

    [Fact]
    public void The_gzip_body_decodes_to_the_plain_body()
    {
        Cycle(true, Vm("vm-a", "1"), Vm("vm-\"quoted\"", "2"));
        var rendered = _store.Current();
        using var gzip = new GZipStream(new MemoryStream(rendered.GzipBody), CompressionMode.Decompress);
        var decoded = new MemoryStream();
        gzip.CopyTo(decoded);
        Assert.Equal(rendered.Body, decoded.ToArray());
    }

    [Fact]
    public void The_plain_body_is_made_once_on_demand_and_stays_that_of_its_render()
    {
        Cycle(true, Vm("vm-a", "1"));
        var rendered = _store.Current();
        var body = rendered.Body;
        Assert.Same(body, rendered.Body);
        Cycle(true, Vm("vm-b", "2"));
        Assert.Contains("vm-a", Encoding.UTF8.GetString(rendered.Body));
        Assert.DoesNotContain("vm-a", Body());
    }

    [Fact]
    public void A_cycle_sized_by_the_last_one_hands_out_its_buffers_without_growing_them()
    {
        var vm = Vm("vm-a", "1");
        var first = new CycleSamples(_families);
        for (var disk = 0; disk < 20; disk++)
            first.Write(Measured, vm, 123456789.5, "vm-a");
        var firstSegment = first.Take("1")[0];
        var next = new CycleSamples(_families, first.TakenSizes);
        for (var disk = 0; disk < 20; disk++)
            next.Write(Measured, vm, 123456789.25, "vm-a"); // one byte longer per line: within the slack
        var segment = next.Take("1")[0];
        Assert.Equal(firstSegment.Length + 20, segment.Length);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(segment, out var array));
        Assert.Equal(0, array.Offset);
        Assert.InRange(array.Array!.Length, segment.Length, firstSegment.Length + firstSegment.Length / 32 + 32);
        Assert.Equal(next.TakenSizes["1"][0], segment.Length);
        Assert.True(next.Take("unknown")[0].IsEmpty);
    }

    [Fact]
    public void Long_label_values_at_the_end_of_a_sized_buffer_do_not_double_it()
    {
        // An interface's counters: UUID label values, two NICs per instance. Asking the buffer for the worst case of a
        // 36-char value (108 bytes) near its end used to double every buffer of a steady node, every cycle.
        var nic = new MetricFamily("oie_nic", "Nic", MetricType.Counter, "domain", "interface", "instance_uuid", "user_uuid", "project_uuid");
        var families = new FamilyTable([[nic]]);
        var vm = InstanceBuilder.Nova("instance-00000001", "8d2c6a51-1c4b-4f55-9d7e-2f1f0f6e3a11").Build();
        string[][] lines =
        [
            ["instance-00000001", "tap8d2c6a51-1c", "8d2c6a51-1c4b-4f55-9d7e-2f1f0f6e3a11", "0f6e3a11-9d7e-4f55-1c4b-8d2c6a511c4b", "3a110f6e-4f55-9d7e-1c4b-2f1f8d2c6a51"],
            ["instance-00000001", "tap1c4b4f55-9d", "8d2c6a51-1c4b-4f55-9d7e-2f1f0f6e3a11", "0f6e3a11-9d7e-4f55-1c4b-8d2c6a511c4b", "3a110f6e-4f55-9d7e-1c4b-2f1f8d2c6a51"],
        ];
        var first = new CycleSamples(families);
        foreach (var labels in lines)
            first.Write(nic, vm, 1234567, labels);
        var size = first.Take(vm.Facts.InstanceUuid)[0].Length;

        var next = new CycleSamples(families, first.TakenSizes);
        foreach (var labels in lines)
            next.Write(nic, vm, 1234568, labels);
        var segment = next.Take(vm.Facts.InstanceUuid)[0];

        Assert.Equal(size, segment.Length);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(segment, out var array));
        Assert.InRange(array.Array!.Length, size, size + size / 32 + 32);
    }

    [Fact]
    public void A_failed_collector_loses_only_its_own_families()
    {
        var samples = new CycleSamples(_families);
        var vm = Vm("vm-a", "1");
        samples.Write(Measured, vm, 1, "vm-a");
        samples.Write(Configured, vm, 2, "vm-a");
        samples.Discard([Measured]);
        _store.Publish(Testing.Cycle.Of(_time.GetTimestamp(), vm), samples);
        Assert.DoesNotContain("oie_measured", Body());
        Assert.Contains("oie_configured{domain=\"vm-a\"} 2", Body());
    }

    [Fact]
    public void A_family_no_collector_declared_is_rejected()
    {
        var stray = new MetricFamily("oie_stray", "Stray", MetricType.Gauge, "domain");
        Assert.Throws<ArgumentException>(() => new CycleSamples(_families).Write(stray, Vm("vm-a", "1"), 1, "vm-a"));
    }

    [Fact]
    public void Two_collectors_declaring_the_same_family_name_is_a_startup_error() =>
        Assert.Throws<InvalidOperationException>(() =>
            new FamilyTable([[Measured], [new MetricFamily("oie_measured", "Other", MetricType.Counter)]]));
}
