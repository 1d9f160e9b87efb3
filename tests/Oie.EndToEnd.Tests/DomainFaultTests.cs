using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Oie.Libvirt;
using Xunit.Abstractions;

namespace Oie.EndToEnd.Tests;

/// <summary>
/// Issue 5's domain faults on the real daemon, next to the healthy guest: a domain stuck in a job, a domain whose Nova
/// metadata does not parse, a domain that vanishes between listing and stats. The healthy guest is never affected.
/// </summary>
[Collection(RealStackCollection.Name)]
public sealed class DomainFaultTests(RealStack stack, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task A_domain_stuck_in_a_job_does_not_stall_the_cycle_or_touch_the_others()
    {
        await stack.StartAsync();
        output.WriteLine(stack.StartupTimes);
        using var stuck = StartPausedDomain("0002", "stuck-vm", "10.0.0.6");
        // QEMU frozen: its monitor never answers, and a monitor command holds the domain's job and waits forever.
        using (var job = await StuckJob.HoldAsync(stack.Run, stuck, "virsh-job-holder"))
        {
            using var exporter = await ExporterProcess.StartAsync(stack.Run, "exporter-stuck", "-collection.interval=1s", "-collector.conntrack=false");
            var guest = stack.Guest.Uuid;
            var first = await LibvirtRestartTests.UntilAsync(exporter,
                e => e.Value("oie_disk_r_requests", ("instance_uuid", guest), ("disk_path", "vda")) is not null &&
                     e.Value("oie_exporter_last_successful_collection_timestamp_seconds") > 0,
                "the guest's metrics with the stuck domain present");
            var reads = first.Value("oie_disk_r_requests", ("instance_uuid", guest), ("disk_path", "vda"))!.Value;
            var stamp = first.Value("oie_exporter_last_successful_collection_timestamp_seconds")!.Value;

            // Three more complete cycles, each well within the interval, with the healthy guest's counters moving.
            var last = await LibvirtRestartTests.UntilAsync(exporter,
                e => e.Value("oie_exporter_last_successful_collection_timestamp_seconds") >= stamp + 3 &&
                     e.Value("oie_disk_r_requests", ("instance_uuid", guest), ("disk_path", "vda")) > reads,
                "cycles completing and the healthy guest's counters growing while the other domain is stuck");
            Assert.Equal(1, last.Value("oie_exporter_libvirt_up"));
            Assert.Equal(0, last.Value("oie_exporter_collection_overruns_total"));
            Assert.True(last.Value("oie_exporter_collection_duration_seconds", ("stage", "libvirt")) < 0.9,
                $"libvirt stage took {last.Value("oie_exporter_collection_duration_seconds", ("stage", "libvirt"))}s");
            // The stuck domain is still listed with what needs no monitor (its facts: thresholds), just without block counters.
            Assert.NotNull(last.Value("oie_disk_r_alert_threshold", ("instance_uuid", stuck.Uuid)));
            Assert.Null(last.Value("oie_disk_r_requests", ("instance_uuid", stuck.Uuid)));
            Assert.False(job.Holder.HasExited, "the job holder finished: QEMU was not stuck\n" + job.Holder.Log());
        }
    }

    [SkippableFact]
    public async Task A_hung_QEMU_with_no_job_holder_makes_libvirt_unavailable_instead_of_freezing_the_loop()
    {
        await stack.StartAsync();
        using var hung = StartPausedDomain("0003", "hung-vm", "10.0.0.7");
        var qemu = hung.QemuPid.ToString(CultureInfo.InvariantCulture);
        try
        {
            // Nobody holds the job, so the exporter's own bulk stats call takes it and waits on a monitor that never
            // answers: NOWAIT does not help here, only the exporter's -libvirt.timeout does.
            Sh.Run("kill", "-STOP", qemu);
            using var exporter = await ExporterProcess.StartWithoutLibvirtAsync(stack.Run, "exporter-hung", "-collection.interval=1s",
                "-libvirt.timeout=500ms", "-collector.conntrack=false");
            var down = await LibvirtRestartTests.UntilAsync(exporter,
                e => e.Value("oie_exporter_libvirt_up") == 0 &&
                     e.Value("oie_exporter_collection_errors_total", ("source", "libvirt")) >= 3,
                "libvirt reported unavailable, cycle after cycle, while a QEMU hangs");
            Assert.Null(down.Value("oie_disk_r_requests", ("instance_uuid", stack.Guest.Uuid)));
            Assert.Equal(0, down.Value("oie_exporter_last_successful_collection_timestamp_seconds"));

            Sh.Run("kill", "-CONT", qemu);
            var back = await LibvirtRestartTests.UntilAsync(exporter,
                e => e.Value("oie_exporter_libvirt_up") == 1 &&
                     e.Value("oie_disk_r_requests", ("instance_uuid", stack.Guest.Uuid), ("disk_path", "vda")) is not null,
                "collection resuming once the hung QEMU answers");
            Assert.True(back.Value("oie_exporter_last_successful_collection_timestamp_seconds") > 0);
        }
        finally
        {
            Sh.Try("kill", "-CONT", qemu);
        }
    }

    [SkippableFact]
    public async Task Domains_with_bad_Nova_metadata_fields_keep_every_series_but_the_bad_field()
    {
        await stack.StartAsync();
        using var badIp = LibvirtDomain.Start(stack.Libvirt, stack.Run, stack.Assets,
            new DomainSpec(LibvirtDaemon.DomainPrefix + "0003", DomainSpec.NewUuid())
            {
                LocalDisk = NewDisk("bad-ip.qcow2"),
                NovaMetadata = DomainSpec.Nova("bad-ip", "10.0.0.300"),
            },
            paused: true);
        using var badVcpus = LibvirtDomain.Start(stack.Libvirt, stack.Run, stack.Assets,
            new DomainSpec(LibvirtDaemon.DomainPrefix + "0004", DomainSpec.NewUuid())
            {
                LocalDisk = NewDisk("bad-vcpus.qcow2"),
                NovaMetadata = DomainSpec.Nova("bad-vcpus", "10.0.0.7", vcpus: "many"),
            },
            paused: true);
        using var plain = LibvirtDomain.Start(stack.Libvirt, stack.Run, stack.Assets,
            new DomainSpec(LibvirtDaemon.DomainPrefix + "0005", DomainSpec.NewUuid()) { LocalDisk = NewDisk("plain.qcow2") },
            paused: true);

        using var exporter = await ExporterProcess.StartAsync(stack.Run, "exporter-badxml", "-collection.interval=1s",
            $"-conntrack.command={stack.Namespace.ConntrackCommand}", "-conntrack.min=1");
        var guest = stack.Guest.Uuid;
        var e = await LibvirtRestartTests.UntilAsync(exporter,
            x => x.Value("oie_disk_r_requests", ("instance_uuid", guest), ("disk_path", "vda")) is not null &&
                 x.Value("oie_conntrack_ip_total", ("instance_uuid", guest)) is not null &&
                 x.Value("oie_disk_r_alert_threshold", ("instance_uuid", plain.Uuid)) is not null &&
                 x.Value("oie_disk_r_alert_threshold", ("instance_uuid", badIp.Uuid)) is not null &&
                 x.Value("oie_disk_r_alert_threshold", ("instance_uuid", badVcpus.Uuid)) is not null,
            "the healthy guest, the non-Nova domain and the two domains with a bad metadata field");
        Assert.Equal(1, e.Value("oie_exporter_libvirt_up"));
        Assert.Equal(0, e.Value("oie_exporter_collection_errors_total", ("source", "libvirt_domain")) ?? 0);
        // A bad nova:vcpus or fixed IP degrades that field only: the project label and the disk series stay.
        foreach (var bad in new[] { badIp, badVcpus })
        {
            var threshold = Assert.Single(e.WithLabel("instance_uuid", bad.Uuid), s => s.Name == "oie_disk_r_alert_threshold");
            Assert.Equal(DomainSpec.ProjectUuid, threshold.Label("project_uuid"));
            // Paused with an untouched disk: its I/O counters are 0 and suppressed as the seed does; its thresholds are not.
            Assert.NotNull(e.Value("oie_disk_w_alert_threshold", ("instance_uuid", bad.Uuid), ("disk_path", "vda")));
        }
        // A domain Nova did not create is exported with empty OpenStack labels.
        var plainThreshold = Assert.Single(e.WithLabel("instance_uuid", plain.Uuid), s => s.Name == "oie_disk_r_alert_threshold");
        Assert.Equal("", plainThreshold.Label("project_uuid"));
        Assert.Equal(plain.Name, plainThreshold.Label("domain"));
        Assert.Equal(stack.Guest.Name, e.WithLabel("instance_uuid", guest).First().Label("domain"));
        Assert.Equal(4, e.Value("oie_exporter_instances"));
        Assert.Contains("nova:vcpus 'many' is not a positive integer", exporter.Log(), StringComparison.Ordinal);
        output.WriteLine(stack.StartupTimes);
        output.WriteLine(exporter.Log());
    }

    [SkippableFact]
    public async Task A_domain_that_vanishes_between_listing_and_stats_is_left_out_and_the_others_read_in_full()
    {
        await stack.StartAsync();
        using var vanishing = LibvirtDomain.Start(stack.Libvirt, stack.Run, stack.Assets,
            new DomainSpec(LibvirtDaemon.DomainPrefix + "0006", DomainSpec.NewUuid())
            {
                LocalDisk = NewDisk("vanishing.qcow2"),
                NovaMetadata = DomainSpec.Nova("vanishing", "10.0.0.8"),
            },
            paused: true, transient: true);
        using var source = new LibvirtInstanceSource(LibvirtDaemon.Uri, NullLogger<LibvirtInstanceSource>.Instance, TimeProvider.System);

        var before = source.Read();
        Assert.True(before.Available, before.Error);
        Assert.Contains(before.Instances, i => i.Facts.InstanceUuid == vanishing.Uuid);
        Assert.Contains(before.Instances, i => i.Facts.InstanceUuid == stack.Guest.Uuid);

        var listed = 0;
        source.AfterListing = () =>
        {
            listed++;
            vanishing.Destroy();   // transient: gone from libvirt altogether
        };
        var during = source.Read();
        source.AfterListing = null;

        Assert.Equal(1, listed);
        Assert.True(during.Available, during.Error);
        Assert.Equal(0, during.DomainErrors);
        Assert.DoesNotContain(during.Instances, i => i.Facts.InstanceUuid == vanishing.Uuid);
        var guest = Assert.Single(during.Instances, i => i.Facts.InstanceUuid == stack.Guest.Uuid);
        Assert.NotNull(guest.Stats.CpuTimeNs);
        Assert.Equal(["vda", "vdb"], guest.Facts.Disks.Select(d => d.Target));
        Assert.All(guest.Stats.Disks, d => Assert.NotNull(d));
        Assert.All(guest.Stats.Interfaces, n => Assert.NotNull(n));
        Assert.Equal(QemuGuest.FixedIp, Assert.Single(guest.Facts.FixedIps).Address);

        var after = source.Read();
        Assert.True(after.Available, after.Error);
        Assert.DoesNotContain(after.Instances, i => i.Facts.InstanceUuid == vanishing.Uuid);
        Assert.Equal(before.Instances.Count - 1, after.Instances.Count);
    }

    private string NewDisk(string name)
    {
        var path = stack.Run.File(name);
        Sh.Run("qemu-img", "create", "-q", "-f", "qcow2", path, "16M");
        return path;
    }

    /// <summary>A second, paused domain with a local disk (block stats need its QEMU's monitor) next to the guest.</summary>
    private LibvirtDomain StartPausedDomain(string suffix, string novaName, string fixedIp)
    {
        var disk = NewDisk(novaName + ".qcow2");
        return LibvirtDomain.Start(stack.Libvirt, stack.Run, stack.Assets,
            new DomainSpec(LibvirtDaemon.DomainPrefix + suffix, DomainSpec.NewUuid())
            {
                LocalDisk = disk,
                NovaMetadata = DomainSpec.Nova(novaName, fixedIp),
            },
            paused: true);
    }
}
