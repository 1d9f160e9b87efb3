using System.Diagnostics;
using System.Globalization;
using Oie.Abstractions;
using Oie.Libvirt;
using Xunit.Abstractions;

namespace Oie.EndToEnd.Tests;

/// <summary>
/// Issue 18's opt-in readings from the real libvirtd and QEMU guest, read through <see cref="LibvirtInstanceSource"/>:
/// the balloon's memory in bytes, the vCPU count and steal (delay), disk sizes and the volume's serial, a real block job
/// while it runs and after it ends, and the jobs' own budget against a domain whose QEMU is stuck in a job.
/// </summary>
[Collection(RealStackCollection.Name)]
public sealed class InstanceReadingsTests(RealStack stack, ITestOutputHelper output)
{
    private const InstanceReadings All = InstanceReadings.Memory | InstanceReadings.Vcpu | InstanceReadings.DiskCapacity | InstanceReadings.Jobs;
    private const long MiB = 1024 * 1024;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private LibvirtInstanceSource Source(TimeSpan? jobsBudget = null) =>
        new(LibvirtDaemon.Uri, new OutputLogger(output), TimeProvider.System, All, jobsBudget);

    /// <summary>The source's log lines in the test's output, timed, to tell which call a slow read waited on.</summary>
    private sealed class OutputLogger(ITestOutputHelper output) : Microsoft.Extensions.Logging.ILogger<LibvirtInstanceSource>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try
            {
                output.WriteLine($"{_clock.Elapsed.TotalSeconds,7:0.000}s {logLevel}: {formatter(state, exception)}");
            }
            catch (InvalidOperationException)
            {
                // A call abandoned by the test returned after the test ended.
            }
        }

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    }

    private Instance? Guest(LibvirtReadResult result)
    {
        Assert.True(result.Available, result.Error);
        return result.Instances.SingleOrDefault(i => i.Facts.InstanceUuid == stack.Guest.Uuid);
    }

    /// <summary>Polls reads until the guest's stats satisfy <paramref name="until"/>; returns them.</summary>
    private async Task<Instance> ReadUntilAsync(LibvirtInstanceSource source, Func<Instance, bool> until, string what)
    {
        Instance? last = null;
        await Poll.UntilAsync(() => (last = Guest(source.Read())) is { } g && until(g), Patience,
            () => $"{what}; last read: {Describe(last)}\n{stack.Logs()}");
        return last!;
    }

    private static string Describe(Instance? i) => i is null ? "(guest not listed)"
        : $"memory {i.Stats.Memory}, vcpu {i.Stats.VcpuStats}, sizes [{string.Join(", ", i.Stats.DiskCapacities)}], " +
          $"jobs read {i.Stats.JobsRead}, job {i.Stats.Job}, block jobs [{string.Join(", ", i.Stats.BlockJobs)}]";

    [SkippableFact]
    public async Task Balloon_memory_vcpu_delay_and_disk_sizes_are_read_in_base_units()
    {
        await stack.StartAsync();
        using var source = Source();

        // The guest-side balloon fields come once the guest's virtio_balloon has answered a stats poll (period 5 s).
        var first = await ReadUntilAsync(source, g => g.Stats.Memory?.UsableBytes is not null, "the balloon's guest statistics");
        output.WriteLine(Describe(first));
        var memory = first.Stats.Memory!;
        Assert.Equal(QemuGuest.MemoryMiB * MiB, memory.CurrentBytes);
        Assert.Equal(QemuGuest.MemoryMiB * MiB, memory.MaximumBytes);
        // QEMU's resident set on the host, in bytes: more than a few MiB (it was KiB), less than a few times the guest.
        Assert.InRange(memory.RssBytes!.Value, 8 * MiB, 4 * memory.MaximumBytes!.Value);
        // What the guest kernel sees: its total is the guest's RAM less what the kernel reserved, never more.
        Assert.InRange(memory.AvailableBytes!.Value, QemuGuest.MemoryMiB * MiB / 2, QemuGuest.MemoryMiB * MiB);
        Assert.InRange(memory.UsableBytes!.Value, 1, memory.AvailableBytes.Value);
        Assert.InRange(memory.UnusedBytes!.Value, 1, memory.AvailableBytes.Value);
        Assert.Equal(0, memory.SwapInBytes); // the busybox guest has no swap
        Assert.NotNull(memory.MajorFaults);
        Assert.NotNull(memory.MinorFaults);

        var vcpu = first.Stats.VcpuStats!.Value;
        Assert.Equal(1, vcpu.Current);
        Assert.Equal(1, vcpu.Maximum);
        // libvirt 9.0 on Linux reports vcpu.N.delay (the task's schedstat wait time; `virsh domstats --vcpu` shows it).
        Assert.NotNull(vcpu.DelayNs);

        var sizes = first.Stats.DiskCapacities;
        Assert.Equal(["vda", "vdb"], first.Facts.Disks.Select(d => d.Target));
        Assert.Equal(QemuGuest.LocalDiskMiB * MiB, sizes[0]!.Value.CapacityBytes);
        Assert.InRange(sizes[0]!.Value.PhysicalBytes!.Value, 1, QemuGuest.LocalDiskMiB * MiB); // a sparse qcow2 file
        Assert.Equal(QemuGuest.VolumeMiB * MiB, sizes[1]!.Value.CapacityBytes);
        Assert.NotNull(sizes[1]!.Value.AllocationBytes);
        // The NBD volume's serial is Nova's Cinder volume id; the local disk has none.
        Assert.Equal(stack.Guest.VolumeSerial, first.Facts.Disks[1].Serial);
        Assert.Equal("", first.Facts.Disks[0].Serial);

        Assert.True(first.Stats.JobsRead);
        Assert.Null(first.Stats.Job);
        Assert.Equal([null, null], first.Stats.BlockJobs);

        // The guest runs (TCG, busy every second): its vCPU's wait for a host CPU only grows.
        var second = await ReadUntilAsync(source, g => g.Stats.VcpuStats?.DelayNs is { } d && d > vcpu.DelayNs!.Value,
            "the vCPU delay growing");
        Assert.Equal(1, second.Stats.VcpuStats!.Value.Current);
    }

    [SkippableFact]
    public async Task A_block_copy_shows_as_a_copy_job_while_it_runs_and_is_gone_after_its_abort()
    {
        await stack.StartAsync();
        using var source = Source();
        var copy = stack.Run.File("vda-copy.qcow2");
        var name = stack.Guest.Name;
        var before = await ReadUntilAsync(source, g => g.Stats.JobsRead, "the guest's jobs read");
        Assert.Equal([null, null], before.Stats.BlockJobs);

        // A persistent domain can only have a copy job that is not persisted; 1 MiB/s keeps it limited and visible.
        stack.Libvirt.Virsh("blockcopy", name, "vda", "--dest", copy, "--format", "qcow2", "--bandwidth", "1", "--transient-job");
        try
        {
            var during = await ReadUntilAsync(source, g => g.Stats.JobsRead && g.Stats.BlockJobs[0] is not null, "the copy job on vda");
            output.WriteLine(Describe(during));
            var job = during.Stats.BlockJobs[0]!.Value;
            Assert.Equal("copy", job.Type);
            Assert.Equal(1 * MiB, job.BandwidthBytesPerSecond); // asked in bytes/s
            Assert.True(job.TotalBytes > 0, $"{job}");
            Assert.InRange(job.ProcessedBytes, 0, job.TotalBytes);
            Assert.Null(during.Stats.BlockJobs[1]);
            Assert.Null(during.Stats.Job); // a block job is not a domain job
        }
        finally
        {
            // Synchronous: returns once QEMU has ended the job; the guest keeps its original disk.
            var abort = stack.Libvirt.TryVirsh("blockjob", name, "vda", "--abort");
            output.WriteLine($"abort: {abort}");
        }

        var after = await ReadUntilAsync(source, g => g.Stats.JobsRead && g.Stats.BlockJobs[0] is null, "the copy job gone after its abort");
        Assert.Equal([null, null], after.Stats.BlockJobs);
        Assert.Equal(stack.Guest.LocalDisk, after.Facts.Disks[0].Uuid); // aborted, not pivoted: still the original file
    }

    /// <summary>
    /// The same readings through the published exporter with the four opt-in switches: the families carry the guest's
    /// values in base units, the volume's serial is on its info series, and a block copy is a <c>block_copy</c> job series
    /// while it runs and gone after its abort, with the jobs collector succeeding throughout.
    /// </summary>
    [SkippableFact]
    public async Task The_exporter_serves_the_opt_in_families_in_base_units_and_a_block_copy_while_it_runs()
    {
        await stack.StartAsync();
        var guest = stack.Guest.Uuid;
        using var exporter = await ExporterProcess.StartAsync(stack.Run, "exporter-optin", "-collection.interval=1s",
            "-collector.conntrack=false", "-collector.memory", "-collector.vcpu", "-collector.disk_info", "-collector.jobs");
        var e = await LibvirtRestartTests.UntilAsync(exporter,
            x => x.Value("oie_memory_usable_bytes", ("instance_uuid", guest)) is not null &&
                 x.Value("oie_vcpu_delay_seconds_total", ("instance_uuid", guest)) is not null &&
                 x.Value("oie_exporter_collector_success", ("collector", "jobs")) == 1,
            "the guest's balloon, vCPU delay and a successful jobs collector");
        Assert.Equal(QemuGuest.MemoryMiB * MiB, e.Value("oie_memory_current_bytes", ("instance_uuid", guest)));
        Assert.Equal(QemuGuest.MemoryMiB * MiB, e.Value("oie_memory_maximum_bytes", ("instance_uuid", guest)));
        Assert.InRange(e.Value("oie_memory_rss_bytes", ("instance_uuid", guest))!.Value, 8 * MiB, 4 * QemuGuest.MemoryMiB * MiB);
        Assert.Equal(1, e.Value("oie_vcpus", ("instance_uuid", guest)));
        // Seconds, not ns: a guest up for minutes at most has waited far less than an hour for a host CPU.
        Assert.InRange(e.Value("oie_vcpu_delay_seconds_total", ("instance_uuid", guest))!.Value, 0, 3600);
        Assert.Equal(QemuGuest.LocalDiskMiB * MiB, e.Value("oie_disk_capacity_bytes", ("instance_uuid", guest), ("disk_path", "vda")));
        Assert.Equal(1, e.Value("oie_disk_info", ("instance_uuid", guest), ("disk_path", "vdb"), ("serial", stack.Guest.VolumeSerial)));
        Assert.Empty(e.Of("oie_job_data_total_bytes"));

        var copy = stack.Run.File("vda-copy-exporter.qcow2");
        stack.Libvirt.Virsh("blockcopy", stack.Guest.Name, "vda", "--dest", copy, "--format", "qcow2", "--bandwidth", "1", "--transient-job");
        try
        {
            e = await LibvirtRestartTests.UntilAsync(exporter,
                x => x.Value("oie_job_data_total_bytes", ("instance_uuid", guest), ("type", "block_copy"), ("disk_path", "vda")) is not null,
                "the block copy as a job series");
            Assert.InRange(e.Value("oie_job_data_processed_bytes", ("instance_uuid", guest), ("type", "block_copy"))!.Value,
                0, e.Value("oie_job_data_total_bytes", ("instance_uuid", guest), ("type", "block_copy"))!.Value);
            Assert.Equal(1, e.Value("oie_exporter_collector_success", ("collector", "jobs")));
        }
        finally
        {
            output.WriteLine($"abort: {stack.Libvirt.TryVirsh("blockjob", stack.Guest.Name, "vda", "--abort")}");
        }
        e = await LibvirtRestartTests.UntilAsync(exporter, x => !x.Of("oie_job_data_total_bytes").Any() &&
                                                              x.Value("oie_exporter_collector_success", ("collector", "jobs")) == 1,
            "the job series gone after the abort");
        Assert.NotNull(e.Value("oie_memory_current_bytes", ("instance_uuid", guest)));
    }

    /// <summary>
    /// A second domain frozen inside a job (QEMU stopped, a monitor command holding the job): the bulk call with NOWAIT
    /// skips it, but a job call waits for the job (libvirt gives up after 30 s). Within the jobs' own budget the read
    /// returns with that domain's jobs not read and the guest's read; no second call is started for the stuck domain
    /// while its first is out; once QEMU runs again, its jobs are read again.
    /// </summary>
    [SkippableFact]
    public async Task A_domain_stuck_in_a_job_costs_only_its_own_jobs_within_their_budget()
    {
        await stack.StartAsync();
        var disk = stack.Run.File("jobs-stuck.qcow2");
        Sh.Run("qemu-img", "create", "-q", "-f", "qcow2", disk, "16M");
        using var stuck = LibvirtDomain.Start(stack.Libvirt, stack.Run, stack.Assets,
            new DomainSpec(LibvirtDaemon.DomainPrefix + "0018", DomainSpec.NewUuid())
            {
                LocalDisk = disk,
                NovaMetadata = DomainSpec.Nova("jobs-stuck", "10.0.0.18"),
            },
            paused: true);
        var budget = TimeSpan.FromMilliseconds(500);
        using var source = Source(budget);
        using (var job = await StuckJob.HoldAsync(stack.Run, stuck, "virsh-jobs-holder"))
        {
            // The worker may meet the stuck domain before the guest: then the guest is read on the next cycle.
            LibvirtReadResult? result = null;
            var slowest = TimeSpan.Zero;
            await Poll.UntilAsync(() =>
            {
                var clock = Stopwatch.StartNew();
                result = source.Read();
                output.WriteLine($"read in {clock.Elapsed.TotalSeconds:0.000}s: guest jobs read {Guest(result)?.Stats.JobsRead}");
                slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
                return Guest(result) is { Stats.JobsRead: true };
            }, Patience, () => "the guest's jobs read beside the stuck domain\n" + stack.Logs());
            var stuckInstance = Assert.Single(result!.Instances, i => i.Facts.InstanceUuid == stuck.Uuid);
            Assert.False(stuckInstance.Stats.JobsRead);
            Assert.Equal([null], stuckInstance.Stats.BlockJobs);
            Assert.True(slowest < budget + TimeSpan.FromSeconds(2), $"a read took {slowest.TotalSeconds:0.0}s with a {budget.TotalSeconds}s jobs budget");
            var abandoned = Assert.Single(source.JobReader.Abandoned);

            // Again: still not read, the same call still out (no second one), the guest read.
            var again = source.Read();
            Assert.False(Assert.Single(again.Instances, i => i.Facts.InstanceUuid == stuck.Uuid).Stats.JobsRead);
            Assert.True(Guest(again)!.Stats.JobsRead);
            Assert.Same(abandoned, Assert.Single(source.JobReader.Abandoned));
            Assert.False(job.Holder.HasExited, "the job holder finished: QEMU was not stuck\n" + job.Holder.Log());

            job.Resume();
            await abandoned.WaitAsync(Patience);
            await Poll.UntilAsync(() => source.Read().Instances.Any(i => i.Facts.InstanceUuid == stuck.Uuid && i.Stats.JobsRead),
                Patience, () => "the formerly stuck domain's jobs read again\n" + stack.Logs());
            Assert.Equal(0, source.JobReader.InFlight);
        }
    }
}
