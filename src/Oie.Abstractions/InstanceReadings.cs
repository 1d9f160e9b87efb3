namespace Oie.Abstractions;

/// <summary>
/// libvirt readings beyond the seed's (state, CPU time, block and interface counters) that an opt-in collector needs.
/// The host asks libvirt only for what some enabled collector declares, so a seed run asks for exactly what it always
/// asked for and pays nothing for collectors it did not switch on.
/// </summary>
[Flags]
public enum InstanceReadings
{
    None = 0,

    /// <summary><see cref="InstanceStats.Memory"/>: the bulk BALLOON group (QEMU), else the domain info's current and
    /// maximum memory (drivers without bulk stats, such as the test driver).</summary>
    Memory = 1,

    /// <summary><see cref="InstanceStats.VcpuStats"/>: the bulk VCPU group (<c>vcpu.current</c>, <c>vcpu.N.delay</c>),
    /// else the domain info's vCPU count.</summary>
    Vcpu = 2,

    /// <summary><see cref="InstanceStats.DiskCapacities"/>: <c>block.N.capacity/allocation/physical</c> of the bulk
    /// BLOCK group, else <c>virDomainGetBlockInfo</c> per disk.</summary>
    DiskCapacity = 4,

    /// <summary><see cref="InstanceStats.Job"/> and <see cref="InstanceStats.BlockJobs"/>: <c>virDomainGetJobStats</c>
    /// and <c>virDomainGetBlockJobInfo</c> per disk, every cycle, under the cycle's libvirt deadline.</summary>
    Jobs = 8,
}

/// <summary>A collector that reads <see cref="InstanceReadings"/> beyond the seed's: the host ORs the readings of every
/// enabled collector and reads them in the cycle's single pass over libvirt.</summary>
public interface IInstanceReadingsConsumer
{
    InstanceReadings Readings { get; }
}

/// <summary>Memory of one domain, in bytes (libvirt reports KiB). A null field was not reported this cycle: the balloon
/// driver reports guest-side fields only while the guest's balloon driver is loaded and its stats period is set.</summary>
public sealed record MemoryStats
{
    /// <summary><c>balloon.current</c>, else the domain info's memory: what the guest currently has.</summary>
    public long? CurrentBytes { get; init; }

    /// <summary><c>balloon.maximum</c>, else the domain info's maxMem.</summary>
    public long? MaximumBytes { get; init; }

    /// <summary><c>balloon.rss</c>: resident set size of the QEMU process on the host.</summary>
    public long? RssBytes { get; init; }

    /// <summary><c>balloon.available</c>: memory the guest OS sees as total.</summary>
    public long? AvailableBytes { get; init; }

    /// <summary><c>balloon.usable</c>: what the guest could use without swapping (MemAvailable).</summary>
    public long? UsableBytes { get; init; }

    /// <summary><c>balloon.unused</c>: memory the guest leaves completely unused (MemFree).</summary>
    public long? UnusedBytes { get; init; }

    /// <summary><c>balloon.swap_in</c> / <c>balloon.swap_out</c>: bytes swapped in/out since the guest booted.</summary>
    public long? SwapInBytes { get; init; }

    public long? SwapOutBytes { get; init; }

    /// <summary><c>balloon.major_fault</c> / <c>balloon.minor_fault</c>: page faults since the guest booted.</summary>
    public long? MajorFaults { get; init; }

    public long? MinorFaults { get; init; }
}

/// <param name="Current"><c>vcpu.current</c>, else the domain info's vCPU count: vCPUs online now.</param>
/// <param name="Maximum"><c>vcpu.maximum</c> when reported.</param>
/// <param name="DelayNs">Sum of <c>vcpu.N.delay</c> over the vCPUs (ns a vCPU was runnable but waited for a host CPU;
/// libvirt ≥ 7.2 on Linux); null when no vCPU reported it — absent, never 0.</param>
public readonly record struct VcpuStats(int? Current, int? Maximum, long? DelayNs);

/// <param name="CapacityBytes">Logical size the guest sees.</param>
/// <param name="AllocationBytes">Host storage written so far (highest written offset for qcow2 on a file).</param>
/// <param name="PhysicalBytes">Host storage the disk occupies (file size, or the block device's size).</param>
public readonly record struct DiskCapacity(long? CapacityBytes, long? AllocationBytes, long? PhysicalBytes);

/// <summary>The domain's running job from <c>virDomainGetJobStats</c>; null while no job runs.</summary>
/// <param name="Operation">What the job does, from <c>VIR_DOMAIN_JOB_OPERATION</c>: <c>unknown</c>, <c>start</c>,
/// <c>save</c>, <c>restore</c>, <c>migration_in</c>, <c>migration_out</c>, <c>snapshot</c>, <c>snapshot_revert</c>,
/// <c>dump</c>, <c>backup</c>, <c>snapshot_delete</c>.</param>
/// <param name="ElapsedSeconds"><c>time_elapsed</c> (libvirt gives ms).</param>
public sealed record DomainJob(string Operation, double? ElapsedSeconds, long? DataTotalBytes, long? DataProcessedBytes,
    long? DataRemainingBytes);

/// <summary>A block job on one disk from <c>virDomainGetBlockJobInfo</c>.</summary>
/// <param name="Type"><c>pull</c>, <c>copy</c>, <c>commit</c>, <c>active_commit</c>, <c>backup</c> or <c>unknown</c>.</param>
/// <param name="ProcessedBytes"><c>cur</c>.</param>
/// <param name="TotalBytes"><c>end</c>.</param>
/// <param name="BandwidthBytesPerSecond">The job's bandwidth limit, 0 when unlimited.</param>
public readonly record struct BlockJob(string Type, long ProcessedBytes, long TotalBytes, long BandwidthBytesPerSecond);
