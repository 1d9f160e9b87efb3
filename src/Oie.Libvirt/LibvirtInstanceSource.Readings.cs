using Microsoft.Extensions.Logging;
using Oie.Abstractions;
using Oie.Libvirt.Native;

namespace Oie.Libvirt;

/// <summary>The opt-in readings (<see cref="InstanceReadings"/>): what is asked of libvirt for them, and how they are mapped.</summary>
public sealed partial class LibvirtInstanceSource
{
    /// <summary>A quarter of the default -libvirt.timeout (one 10 s collection interval).</summary>
    private static readonly TimeSpan DefaultJobsBudget = TimeSpan.FromSeconds(2.5);

    /// <summary>Jobs not asked for: <see cref="InstanceStats.JobsRead"/> true, no job, no block jobs (the seed's stats).</summary>
    private static readonly JobsPart NoJobsAsked = new(true, null, []);

    /// <summary>Asked for bytes/s first; cleared (MiB/s from then on) if this libvirt refuses the flag.</summary>
    private bool _bandwidthInBytes = true;

    /// <summary>
    /// The job calls' share of the cycle's libvirt deadline: a quarter, so that a domain whose monitor is hung costs its
    /// own jobs and leaves the rest of the deadline to the bulk call and the per-domain reads.
    /// </summary>
    public static TimeSpan JobsBudgetFor(TimeSpan readDeadline) => readDeadline / 4;

    /// <summary>Domains whose abandoned job call has not returned (tests).</summary>
    internal JobReader<LibvirtConnection> JobReader => _jobs;

    internal static uint BulkGroupsFor(InstanceReadings readings) =>
        SeedStatsGroups |
        ((readings & InstanceReadings.Memory) != 0 ? LibvirtNative.DomainStatsBalloon : 0) |
        ((readings & InstanceReadings.Vcpu) != 0 ? LibvirtNative.DomainStatsVcpu : 0);

    private bool Wants(InstanceReadings reading) => (_readings & reading) != 0;

    /// <summary>This cycle's job fields of one domain's stats.</summary>
    private readonly record struct JobsPart(bool Read, DomainJob? Job, BlockJob?[] BlockJobs);

    /// <summary>A domain whose job calls did not answer still gets a block-job entry per disk (all null), so the array
    /// stays aligned with its disks whenever jobs are asked for; <see cref="InstanceStats.JobsRead"/> says it means nothing.</summary>
    private static JobsPart Jobs(InstanceFacts facts, JobReading? reading) =>
        reading is null ? new JobsPart(false, null, new BlockJob?[facts.Disks.Length]) : new JobsPart(true, reading.Job, reading.BlockJobs);

    /// <summary>The domain info's memory (KiB), for drivers without the balloon group; the guest-side fields stay null.</summary>
    private static MemoryStats InfoMemory(long memoryKiB, long maxMemKiB) =>
        new() { CurrentBytes = memoryKiB * 1024, MaximumBytes = maxMemKiB * 1024 };

    private static DiskCapacity?[] BulkCapacities(InstanceFacts facts, BulkDomainStats record)
    {
        var capacities = new DiskCapacity?[facts.Disks.Length];
        for (var i = 0; i < capacities.Length; i++)
            capacities[i] = record.Capacity(facts.Disks[i].Target);
        return capacities;
    }

    /// <summary>virDomainGetBlockInfo per disk; a disk it fails for is a null entry, the others are unaffected.</summary>
    private DiskCapacity?[] ReadCapacities(DomainHandle domain, InstanceFacts facts)
    {
        var capacities = new DiskCapacity?[facts.Disks.Length];
        for (var i = 0; i < capacities.Length; i++)
        {
            var target = facts.Disks[i].Target;
            try
            {
                capacities[i] = LibvirtConnection.GetBlockInfo(domain, target);
            }
            catch (LibvirtException e)
            {
                Log.CapacityFailed(_logger, facts.Domain, target, e.Message);
            }
        }
        return capacities;
    }

    private JobReading?[] ReadJobs(List<Row> rows, ref int errors)
    {
        var names = new (string Uuid, string Name)[rows.Count];
        for (var i = 0; i < rows.Count; i++)
            names[i] = (rows[i].Uuid, rows[i].Entry.Facts.Domain);
        return _jobs.Read(names, (connection, i) => ReadJob(connection, rows[i].Uuid, rows[i].Entry.Facts), _jobsBudget, ref errors);
    }

    /// <summary>On the job worker's thread, over the job calls' own connection.</summary>
    private JobReading ReadJob(LibvirtConnection connection, string uuid, InstanceFacts facts)
    {
        using var domain = connection.LookupByUuid(uuid);
        var job = LibvirtConnection.GetJobStats(domain);
        var blockJobs = new BlockJob?[facts.Disks.Length];
        for (var i = 0; i < blockJobs.Length; i++)
            blockJobs[i] = LibvirtConnection.GetBlockJobInfo(domain, facts.Disks[i].Target, ref _bandwidthInBytes);
        return new JobReading(job, blockJobs);
    }
}
