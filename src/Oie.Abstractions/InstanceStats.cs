namespace Oie.Abstractions;

public enum DomainRunState { Unknown = 0, Running = 1, Blocked = 2, Paused = 3, Shutdown = 4, Shutoff = 5, Crashed = 6, Suspended = 7 }

/// <summary>This cycle's counters for one domain. A null counter was not available this cycle.</summary>
public sealed class InstanceStats
{
    public DomainRunState State { get; init; }

    /// <summary>Total guest CPU time in nanoseconds.</summary>
    public long? CpuTimeNs { get; init; }

    /// <summary>When the counters were read (TimeProvider.GetTimestamp()), for rate computations.</summary>
    public long SampledAt { get; init; }

    /// <summary>vCPUs as libvirt reports them this cycle.</summary>
    public int? Vcpus { get; init; }

    /// <summary>Aligned with <see cref="InstanceFacts.Disks"/>.</summary>
    public BlockCounters?[] Disks { get; init; } = [];

    /// <summary>Aligned with <see cref="InstanceFacts.Interfaces"/>.</summary>
    public InterfaceCounters?[] Interfaces { get; init; } = [];

    /// <summary>Read when an enabled collector asks for <see cref="InstanceReadings.Memory"/>; else null.</summary>
    public MemoryStats? Memory { get; init; }

    /// <summary>Read when an enabled collector asks for <see cref="InstanceReadings.Vcpu"/>; else null.</summary>
    public VcpuStats? VcpuStats { get; init; }

    /// <summary>Aligned with <see cref="InstanceFacts.Disks"/> when <see cref="InstanceReadings.DiskCapacity"/> was asked
    /// for (a null entry: that disk's capacity could not be read this cycle); else empty.</summary>
    public DiskCapacity?[] DiskCapacities { get; init; } = [];

    /// <summary>False when <see cref="InstanceReadings.Jobs"/> was asked for and this domain's job calls did not answer
    /// this cycle (failed, or not within their deadline): <see cref="Job"/> and <see cref="BlockJobs"/> then say nothing,
    /// which is not "no job". True when they were read, and when jobs were not asked for.</summary>
    public bool JobsRead { get; init; } = true;

    /// <summary>The running domain job when <see cref="InstanceReadings.Jobs"/> was asked for; null while none runs.</summary>
    public DomainJob? Job { get; init; }

    /// <summary>Aligned with <see cref="InstanceFacts.Disks"/> when <see cref="InstanceReadings.Jobs"/> was asked for (a
    /// null entry: no block job on that disk); else empty.</summary>
    public BlockJob?[] BlockJobs { get; init; } = [];
}

public readonly record struct BlockCounters(long ReadRequests, long ReadBytes, long WriteRequests, long WriteBytes)
{
    public bool IsZero => ReadRequests == 0 && ReadBytes == 0 && WriteRequests == 0 && WriteBytes == 0;
}

public readonly record struct InterfaceCounters(
    long RxBytes, long RxPackets, long RxErrors, long RxDrops,
    long TxBytes, long TxPackets, long TxErrors, long TxDrops)
{
    public bool IsZero => RxBytes == 0 && RxPackets == 0 && RxErrors == 0 && RxDrops == 0 &&
                          TxBytes == 0 && TxPackets == 0 && TxErrors == 0 && TxDrops == 0;
}
