using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Oie.Abstractions;
using Oie.Generated;
using Oie.Host.Collection;
using Oie.Host.CommandLine;
using Oie.Host.Exposition;
using Oie.Libvirt;
using Oie.Testing;

namespace Oie.Host.Tests;

/// <summary>Issue 18's opt-in collectors (memory, vcpu, disk_info, jobs) in the host: off unless switched on, their
/// families lint-clean under promtool, and a cycle whose job calls did not answer reported as a failed jobs collector.
/// Their libvirt readings are hand-made here; the libvirt layer's own tests read them from a real libvirt.</summary>
public sealed class OptInCollectorTests
{
    private static readonly string[] OptIn = ["memory", "vcpu", "disk_info", "jobs"];

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));

    [Fact]
    public void A_seed_command_line_switches_none_of_them_on()
    {
        var commandLine = new ExporterCommandLine(PluginRegistry.Collectors, PluginRegistry.Feeds);
        Assert.True(commandLine.Parse([]).Success);
        var created = commandLine.CreatePlugins(new PluginContext(NullLoggerFactory.Instance, _time)).Collectors.Select(c => c.Name).ToList();

        foreach (var name in OptIn)
        {
            Assert.False(PluginRegistry.Collectors.Single(c => c.Name == name).EnabledByDefault, name);
            Assert.DoesNotContain(name, created);
        }
        Assert.True(new ExporterCommandLine(PluginRegistry.Collectors, PluginRegistry.Feeds).Parse(["-collector.jobs"]).Success);
    }

    [Fact]
    public async Task With_every_reading_present_the_exposition_passes_promtool()
    {
        var body = Run(Instance(jobsRead: true));

        Assert.Contains("oie_vcpu_delay_seconds_total{domain=\"instance-00000001\",instance_uuid=\"11111111-1111-1111-1111-111111111111\",user_uuid=\"aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa\",project_uuid=\"bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb\"} 2.5\n", body);
        Assert.Contains("oie_disk_info{domain=\"instance-00000001\",instance_uuid=\"11111111-1111-1111-1111-111111111111\",user_uuid=\"aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa\",project_uuid=\"bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb\",disk_uuid=\"volume-1\",disk_type=\"volumes\",disk_path=\"vdb\",serial=\"55555555-0000-4000-8000-000000000001\"} 1\n", body);
        Assert.Contains("oie_job_data_remaining_bytes{domain=\"instance-00000001\",instance_uuid=\"11111111-1111-1111-1111-111111111111\",user_uuid=\"aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa\",project_uuid=\"bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb\",type=\"block_copy\",disk_path=\"vdb\"} 700\n", body);
        foreach (var name in OptIn)
            Assert.Contains($"oie_exporter_collector_success{{collector=\"{name}\"}} 1\n", body);
        // No lint beyond the seed's own names: the new families follow the naming rules (promtool reserves _count for
        // histograms and summaries, hence oie_vcpus rather than oie_vcpu_count).
        await PromtoolAssert.Valid(Encoding.UTF8.GetBytes(body));
    }

    [Fact]
    public void Unanswered_job_calls_fail_the_jobs_collector_and_leave_the_others_alone()
    {
        var body = Run(Instance(jobsRead: false));

        Assert.DoesNotContain("oie_job_", body);
        Assert.Contains("oie_exporter_collector_success{collector=\"jobs\"} 0\n", body);
        Assert.Contains("oie_exporter_collection_errors_total{source=\"jobs\"} 1\n", body);
        Assert.Contains("oie_exporter_collector_success{collector=\"memory\"} 1\n", body);
        Assert.Contains("oie_memory_current_bytes{", body);
    }

    /// <summary>One cycle of the four collectors over <paramref name="instance"/>, as the host runs it; the exposition.</summary>
    private string Run(Instance instance)
    {
        var commandLine = new ExporterCommandLine(PluginRegistry.Collectors, PluginRegistry.Feeds);
        Assert.True(commandLine.Parse([.. OptIn.Select(n => "-collector." + n)]).Success);
        var collectors = commandLine.CreatePlugins(new PluginContext(NullLoggerFactory.Instance, _time)).Collectors
            .Where(c => OptIn.Contains(c.Name)).ToList();
        Assert.Equal(OptIn.Length, collectors.Count);
        var families = new FamilyTable(collectors.Select(c => c.Collector.Families));
        var self = new SelfMetrics(collectors.Select(c => c.Name));
        var store = new ExpositionStore(families, new CacheTtls(TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), TimeSpan.FromSeconds(10)),
            _time, self.WriteTo);
        new CollectionCycle(new FixedSource(instance), null, collectors, families, store, self, _time, NullLogger<CollectionCycle>.Instance).Run();
        return Encoding.UTF8.GetString(store.Current().Body);
    }

    private static Instance Instance(bool jobsRead)
    {
        var facts = InstanceBuilder.Nova().Disk("vda", "local", "/var/lib/nova/instances/x/disk").Disk("vdb", "volumes", "volume-1").BuildFacts();
        facts = facts with { Disks = [facts.Disks[0], facts.Disks[1] with { Serial = "55555555-0000-4000-8000-000000000001" }] };
        return new Instance(facts, new InstanceStats
        {
            State = DomainRunState.Running,
            Memory = new MemoryStats
            {
                CurrentBytes = 1L << 32,
                MaximumBytes = 1L << 32,
                RssBytes = 3L << 30,
                AvailableBytes = 4000L << 20,
                UsableBytes = 1L << 30,
                UnusedBytes = 1L << 29,
                SwapInBytes = 0,
                SwapOutBytes = 4096,
                MajorFaults = 3,
                MinorFaults = 900,
            },
            VcpuStats = new VcpuStats(2, 4, 2_500_000_000),
            DiskCapacities = [new DiskCapacity(20L << 30, 3L << 30, 3L << 30), new DiskCapacity(100L << 30, null, 100L << 30)],
            JobsRead = jobsRead,
            Job = jobsRead ? new DomainJob("migration_out", 42.5, 1L << 32, 1L << 31, 1L << 31) : null,
            BlockJobs = jobsRead ? [null, new BlockJob("copy", 300, 1000, 0)] : [],
        });
    }

    private sealed class FixedSource(Instance instance) : IInstanceSource
    {
        public LibvirtReadResult Read() => new(true, [instance], null, 0);
    }
}
