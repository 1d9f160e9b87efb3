using Oie.Abstractions;

namespace Oie.Testing;

/// <summary>A fluent builder for one <see cref="Instance"/>: its facts and this cycle's stats.</summary>
public sealed class InstanceBuilder
{
    private readonly string _domain;
    private readonly string _uuid;
    private string _user = "";
    private string _project = "";
    private int? _flavorVcpus;
    private int _domainVcpus = 1;
    private int? _liveVcpus;
    private long? _cpuTimeNs;
    private long _sampledAt;
    private readonly List<DiskFacts> _disks = [];
    private readonly List<BlockCounters?> _diskStats = [];
    private readonly List<string> _interfaces = [];
    private readonly List<InterfaceCounters?> _interfaceStats = [];
    private readonly List<FixedIp> _fixedIps = [];
    private bool _noDiskStats;
    private bool _noInterfaceStats;

    private InstanceBuilder(string domain, string uuid)
    {
        _domain = domain;
        _uuid = uuid;
    }

    /// <summary>A Nova instance with owner user/project UUIDs.</summary>
    public static InstanceBuilder Nova(
        string domain = "instance-00000001",
        string uuid = "11111111-1111-1111-1111-111111111111",
        string user = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa",
        string project = "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb") =>
        new InstanceBuilder(domain, uuid).Owner(user, project);

    /// <summary>A domain Nova did not create: no owner, no flavor.</summary>
    public static InstanceBuilder NonNova(string domain = "plain-vm", string uuid = "99999999-9999-9999-9999-999999999999") =>
        new(domain, uuid);

    public InstanceBuilder Owner(string user, string project)
    {
        _user = user;
        _project = project;
        return this;
    }

    /// <summary><c>nova:flavor/nova:vcpus</c>.</summary>
    public InstanceBuilder FlavorVcpus(int? vcpus)
    {
        _flavorVcpus = vcpus;
        return this;
    }

    /// <summary>The domain XML's &lt;vcpu&gt;.</summary>
    public InstanceBuilder DomainVcpus(int vcpus)
    {
        _domainVcpus = vcpus;
        return this;
    }

    /// <summary>libvirt's vCPU count this cycle (<see cref="InstanceStats.Vcpus"/>).</summary>
    public InstanceBuilder LiveVcpus(int? vcpus)
    {
        _liveVcpus = vcpus;
        return this;
    }

    public InstanceBuilder Cpu(long? cpuTimeNs, long sampledAt)
    {
        _cpuTimeNs = cpuTimeNs;
        _sampledAt = sampledAt;
        return this;
    }

    /// <param name="io">This cycle's counters; null = not available this cycle.</param>
    public InstanceBuilder Disk(string target, string type, string uuid, BlockCounters? io = null)
    {
        _disks.Add(new DiskFacts(target, type, uuid));
        _diskStats.Add(io);
        return this;
    }

    /// <param name="counters">This cycle's counters; null = not available this cycle.</param>
    public InstanceBuilder Nic(string target, InterfaceCounters? counters = null)
    {
        _interfaces.Add(target);
        _interfaceStats.Add(counters);
        return this;
    }

    /// <summary>A <c>nova:ports/nova:port/nova:ip</c> entry, address as written in the metadata.</summary>
    public InstanceBuilder FixedIp(string address, int version, string portId = "")
    {
        _fixedIps.Add(new FixedIp(address, version, portId));
        return this;
    }

    /// <summary>Leaves <see cref="InstanceStats.Disks"/> empty, as when block stats could not be read at all.</summary>
    public InstanceBuilder NoDiskStats()
    {
        _noDiskStats = true;
        return this;
    }

    /// <summary>Leaves <see cref="InstanceStats.Interfaces"/> empty, as when interface stats could not be read at all.</summary>
    public InstanceBuilder NoInterfaceStats()
    {
        _noInterfaceStats = true;
        return this;
    }

    public InstanceFacts BuildFacts() => new()
    {
        Domain = _domain,
        InstanceUuid = _uuid,
        UserUuid = _user,
        ProjectUuid = _project,
        FlavorVcpus = _flavorVcpus,
        DomainVcpus = _domainVcpus,
        Disks = [.. _disks],
        Interfaces = [.. _interfaces],
        FixedIps = [.. _fixedIps],
    };

    public InstanceStats BuildStats() => new()
    {
        State = DomainRunState.Running,
        CpuTimeNs = _cpuTimeNs,
        SampledAt = _sampledAt,
        Vcpus = _liveVcpus,
        Disks = _noDiskStats ? [] : [.. _diskStats],
        Interfaces = _noInterfaceStats ? [] : [.. _interfaceStats],
    };

    public Instance Build() => new(BuildFacts(), BuildStats());

    public static implicit operator Instance(InstanceBuilder builder) => builder.Build();
}
