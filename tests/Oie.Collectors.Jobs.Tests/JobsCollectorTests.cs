using Microsoft.Extensions.Time.Testing;
using Oie.Collectors.Jobs;
using Snapshooter.Xunit;

namespace Oie.Collectors.Jobs.Tests;

public sealed class JobsCollectorTests
{
    private const long MiB = 1L << 20;

    private static RecordingSampleWriter Run(params Instance[] vms) =>
        Plugin.Create<JobsCollector>(new FakeTimeProvider()).Run(Cycle.Of(0, vms));

    private static Instance WithJobs(InstanceBuilder builder, DomainJob? job = null, BlockJob?[]? blockJobs = null, bool read = true) =>
        new(builder.BuildFacts(), new InstanceStats
        {
            State = DomainRunState.Running,
            JobsRead = read,
            Job = job,
            BlockJobs = blockJobs ?? [],
        });

    private static InstanceBuilder TwoDisks(string domain = "instance-00000001", string uuid = "11111111-1111-1111-1111-111111111111") =>
        InstanceBuilder.Nova(domain, uuid).Disk("vda", "local", "/var/lib/nova/instances/x/disk").Disk("vdb", "volumes", "volume-1");

    [Fact]
    public void Families_and_flags_match_the_snapshot()
    {
        var collector = Plugin.Create<JobsCollector>(new FakeTimeProvider());
        Snapshot.Match(Contract.Of<JobsCollector>(collector));
    }

    [Fact]
    public void Reads_only_the_jobs()
    {
        var collector = Assert.IsAssignableFrom<IInstanceReadingsConsumer>(Plugin.Create<JobsCollector>(new FakeTimeProvider()));
        Assert.Equal(InstanceReadings.Jobs, collector.Readings);
    }

    [Fact]
    public void A_running_migration_is_written_with_its_operation_as_type_and_no_disk()
    {
        var migration = new DomainJob("migration_out", ElapsedSeconds: 93.25, DataTotalBytes: 4096 * MiB,
            DataProcessedBytes: 1024 * MiB, DataRemainingBytes: 3100 * MiB);
        var samples = Run(WithJobs(TwoDisks(), migration)).Samples;

        Assert.Equal(
            [
                ("oie_job_elapsed_seconds", 93.25), ("oie_job_data_total_bytes", 4096.0 * MiB),
                ("oie_job_data_processed_bytes", 1024.0 * MiB), ("oie_job_data_remaining_bytes", 3100.0 * MiB),
            ],
            samples.Select(s => (s.Name, s.Value)));
        Assert.All(samples, s =>
        {
            Assert.Equal(["domain", "instance_uuid", "user_uuid", "project_uuid", "type", "disk_path"], s.Family.LabelNames.ToArray());
            Assert.Equal(["instance-00000001", "11111111-1111-1111-1111-111111111111", "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa",
                "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb", "migration_out", ""], s.Labels);
            Assert.Equal(MetricType.Gauge, s.Family.Type);
        });
    }

    [Fact]
    public void Fields_a_domain_job_does_not_report_are_absent()
    {
        // A dump reports its elapsed time; libvirt gives no data figures for it here.
        var samples = Run(WithJobs(TwoDisks(), new DomainJob("dump", 12, null, null, null)));

        var sample = Assert.Single(samples.Samples);
        Assert.Equal(("oie_job_elapsed_seconds", 12.0, "dump"), (sample.Name, sample.Value, sample.Label("type")));
    }

    [Fact]
    public void A_block_job_is_written_for_its_disk_with_the_remainder_and_no_elapsed_time()
    {
        var copy = new BlockJob("copy", ProcessedBytes: 300 * MiB, TotalBytes: 1000 * MiB, BandwidthBytesPerSecond: 0);
        var samples = Run(WithJobs(TwoDisks(), blockJobs: [null, copy])).Samples;

        Assert.Equal(
            [
                ("oie_job_data_total_bytes", 1000.0 * MiB), ("oie_job_data_processed_bytes", 300.0 * MiB),
                ("oie_job_data_remaining_bytes", 700.0 * MiB),
            ],
            samples.Select(s => (s.Name, s.Value)));
        Assert.All(samples, s => Assert.Equal(["block_copy", "vdb"], s.Labels.Skip(4)));
    }

    [Fact]
    public void A_block_job_past_its_end_has_nothing_remaining()
    {
        var samples = Run(WithJobs(TwoDisks(), blockJobs: [new BlockJob("commit", 1001, 1000, 0), null]));

        Assert.Equal(0, Assert.Single(samples.Of("oie_job_data_remaining_bytes")).Value);
    }

    [Fact]
    public void A_domain_job_and_block_jobs_of_one_instance_are_written_side_by_side()
    {
        var samples = Run(WithJobs(TwoDisks(), new DomainJob("backup", 5, 10, 4, 6),
            [new BlockJob("backup", 1, 2, 0), new BlockJob("pull", 3, 4, 0)]));

        Assert.Equal(
            [("backup", ""), ("block_backup", "vda"), ("block_pull", "vdb")],
            samples.Of("oie_job_data_total_bytes").Select(s => (s.Label("type"), s.Label("disk_path"))));
    }

    [Fact]
    public void Nothing_is_written_while_no_job_runs()
    {
        Assert.Empty(Run(WithJobs(TwoDisks()), WithJobs(InstanceBuilder.NonNova(), blockJobs: [])).Samples);
        Assert.Empty(Run(WithJobs(TwoDisks(), blockJobs: [null, null])).Samples);
    }

    [Fact]
    public void A_domain_whose_job_calls_did_not_answer_fails_the_cycle_instead_of_reporting_no_job()
    {
        var migrating = WithJobs(TwoDisks(), new DomainJob("migration_out", 1, 1, 1, 0));
        var unread = WithJobs(TwoDisks("instance-0000000b", "bbbbbbbb-0000-0000-0000-00000000000b"), read: false);
        var collector = Plugin.Create<JobsCollector>(new FakeTimeProvider());
        var writer = new RecordingSampleWriter(collector.Families);

        var failure = Assert.Throws<CollectorSourceException>(() => collector.Collect(Cycle.Of(0, migrating, unread), writer));

        Assert.Equal("jobs", failure.Source);
        Assert.False(failure.AlreadyReported);
        Assert.Contains("1 of 2 domains", failure.Message);
        Assert.Contains("(instance-0000000b)", failure.Message);
        Assert.Contains("-libvirt.timeout", failure.Message);
        Assert.Empty(writer.Samples);
    }

    /// <summary>The error source is the plugins.json name the collector was set up with, not a copy of it.</summary>
    [Fact]
    public void The_error_source_is_the_name_of_the_entry()
    {
        var unread = WithJobs(TwoDisks(), read: false);
        var collector = Plugin.Define(JobsCollector.Setup, new PluginEntry("libvirt_jobs", false))(
            new PluginContext(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, new FakeTimeProvider()));

        var failure = Assert.Throws<CollectorSourceException>(() => collector.Collect(Cycle.Of(0, unread), new RecordingSampleWriter(collector.Families)));

        Assert.Equal("libvirt_jobs", failure.Source);
    }

    [Fact]
    public void The_failure_names_a_few_domains_and_counts_the_rest()
    {
        var unread = Enumerable.Range(1, 7)
            .Select(i => WithJobs(InstanceBuilder.Nova($"instance-{i:x8}", $"00000000-0000-0000-0000-{i:x12}"), read: false))
            .ToArray();

        var failure = Assert.Throws<CollectorSourceException>(() => Run(unread));

        Assert.Contains("7 of 7 domains", failure.Message);
        Assert.Contains("(instance-00000001, instance-00000002, instance-00000003, instance-00000004, instance-00000005 and 2 more)", failure.Message);
    }
}
