using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Oie.Abstractions;
using Oie.Generated;
using Oie.Host.CommandLine;
using Oie.Testing;
using Oie.ThreatIntel;

namespace Oie.Host.Tests;

/// <summary>
/// docs/metrics.md against what the exporter really emits: the whole exporter in-process with every collector and all
/// four feeds on (samples/node.xml, samples/conntrack.txt with a low -conntrack.min, samples/feeds as file:// URLs),
/// two cycles so CPU has a value, scraped over real HTTP. Drift in either direction fails.
/// </summary>
public sealed class MetricsReferenceTests : IAsyncLifetime
{
    private static readonly string Feeds = Path.Combine(RepoPaths.Root, "samples", "feeds");
    private readonly DirectoryInfo _cacheDir = Directory.CreateTempSubdirectory("oie-metrics-doc-");
    private InProcessExporter _exporter = null!;
    private IReadOnlyDictionary<string, DocumentedFamily> _emitted = null!;

    public async Task InitializeAsync()
    {
        _exporter = await InProcessExporter.StartAsync(
        [
            $"-libvirt.uri=test://{RepoPaths.SampleNode}", "-cpu.min=0",
            $"-conntrack.path={RepoPaths.SampleConntrack}", "-conntrack.min=1",
            "-collector.cpu", "-collector.disk", "-collector.network", "-collector.conntrack", "-collector.instance_info",
            "-collector.memory", "-collector.vcpu", "-collector.disk_info", "-collector.jobs",
            "-tor.enable", $"-tor.url=file://{Feeds}/onionoo-details.json",
            "-spamhaus.enable", $"-spamhaus.url=file://{Feeds}/drop.txt", $"-spamhaus.ipv6.url=file://{Feeds}/dropv6.txt",
            "-emergingthreats.enable", $"-emergingthreats.url=file://{Feeds}/compromised-ips.txt",
            "-customlist.enable", $"-customlist.path={Feeds}/custom-ips.txt", "-threat.flows.enable",
            $"-feeds.cache-dir={_cacheDir.FullName}",
        ]);
        await _exporter.AdvanceOneIntervalAsync(); // a second cycle: CPU has a delta, every list is in force
        _emitted = MetricsReference.FromExposition(await _exporter.ScrapeTextAsync());
    }

    public async Task DisposeAsync()
    {
        await _exporter.DisposeAsync();
        _cacheDir.Delete(recursive: true);
    }

    [Fact]
    public void Every_emitted_family_is_documented_with_its_type_help_and_label_order()
    {
        var documented = MetricsReference.Load();
        var problems = new List<string>();
        foreach (var family in _emitted.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (!documented.TryGetValue(family.Name, out var doc))
                problems.Add($"emitted but not in docs/metrics.md; add:\n{family.Row()}");
            else if (doc.Type != family.Type || doc.Help != family.Help || !doc.Labels.SequenceEqual(family.Labels))
                problems.Add($"docs/metrics.md has\n{doc.Row()}\nthe exporter emits\n{family.Row()}");
        }
        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
    }

    [Fact]
    public void Every_documented_family_was_emitted_or_is_marked_conditional()
    {
        var missing = MetricsReference.Load().Values
            .Where(doc => !_emitted.ContainsKey(doc.Name) && !doc.Conditional)
            .Select(doc => doc.Name)
            .ToList();
        Assert.True(missing.Count == 0,
            "documented in docs/metrics.md, not emitted with every collector and feed on, and not marked **conditional**: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_family_a_collector_declares_is_documented_as_declared()
    {
        var documented = MetricsReference.Load();
        var declared = _exporter.Services.GetRequiredService<IReadOnlyList<NamedCollector>>().SelectMany(c => c.Collector.Families).ToList();
        Assert.Contains(declared, f => f.Name == "oie_customlist_contact"); // the feeds' contact families are declared too
        foreach (var family in declared)
        {
            var expected = new DocumentedFamily(family.Name, family.Type == MetricType.Counter ? "counter" : "gauge", [.. family.LabelNames], family.Help, false);
            Assert.True(documented.TryGetValue(family.Name, out var doc), $"declared but not in docs/metrics.md; add:\n{expected.Row()}");
            Assert.True(doc.Type == expected.Type && doc.Help == expected.Help && doc.Labels.SequenceEqual(expected.Labels),
                $"docs/metrics.md has\n{doc.Row()}\nthe collector declares\n{expected.Row()}");
        }
    }

    [Fact]
    public void The_run_covered_every_kind_of_family()
    {
        // Guards the other tests against a run that emitted too little to compare (a feed not loaded, one cycle only).
        foreach (var name in new[] { "oie_cpu_percent", "oie_disk_r_requests", "oie_net_rx_gbytes", "oie_conntrack_ip_total",
                     "oie_tor_contact", "oie_spamhaus_contact", "oie_emergingthreats_contact", "oie_customlist_contact",
                     "oie_exporter_feed_fresh", "oie_exporter_collector_success", "process_cpu_seconds_total", "oie_threat_contact_flows", "oie_instance_info",
                     "oie_disk_info", "oie_memory_current_bytes", "oie_memory_maximum_bytes", "oie_vcpus", "oie_disk_capacity_bytes" })
        {
            Assert.True(_emitted.ContainsKey(name), name + " was not emitted");
        }
        // Every collector plugins.json lists is switched on above: one left off would have its families go unchecked.
        var running = _exporter.Services.GetRequiredService<IReadOnlyList<NamedCollector>>().Select(c => c.Name).ToHashSet();
        foreach (var registration in PluginRegistry.Collectors)
            Assert.True(running.Contains(registration.Name), $"-collector.{registration.Name} is not switched on in this run");
    }

    [Fact]
    public void The_parser_reads_rows_and_rejects_a_malformed_one()
    {
        var doc = MetricsReference.Parse("| `a_b` | gauge | `x`, `y` | Help with \\| pipe | **conditional**: sometimes |\n| metric | type |\n");
        var row = Assert.Single(doc.Values);
        Assert.Equal(["x", "y"], row.Labels);
        Assert.Equal("Help with | pipe", row.Help);
        Assert.True(row.Conditional);
        Assert.Throws<FormatException>(() => MetricsReference.Parse("| `a_b` | gauge | x | help | always |"));
    }

    [Fact]
    public void The_readme_links_the_metrics_reference()
    {
        Assert.Contains("(docs/metrics.md)", File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")));
    }
}
