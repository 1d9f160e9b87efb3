using System.Globalization;
using Oie.Testing;
using Oie.Zones.Tests.Infra;

namespace Oie.Host.Tests;

/// <summary>
/// Two tenants' instances on one node holding the same fixed IP, 10.0.0.5, with each Neutron backend's view of their
/// ports: a real OVN chassis (ovn-controller assigns the zones), a real ovsdb-server with the OVS agent's local VLAN
/// tags, and a namespace with iptables_hybrid's raw-table CT rules. For each backend a network namespace of its own
/// holds real kernel conntrack entries in that backend's zones: 3 of tenant a's (to 198.51.100.1–3) and 5 of tenant
/// b's (to 203.0.113.66, which the custom list names). Dispose stops every daemon by its PID and deletes the
/// namespaces, also after a failed start.
/// </summary>
public sealed class ZoneLab : IDisposable
{
    public const string SharedIp = "10.0.0.5";
    public const string ListedRemote = "203.0.113.66";
    public const string ProjectA = "aaaaaaaa-0000-4000-8000-0000000000a1";
    public const string ProjectB = "bbbbbbbb-0000-4000-8000-0000000000b1";
    public const string InstanceA = "aaaaaaaa-1111-4000-8000-00000000000a";
    public const string InstanceB = "bbbbbbbb-1111-4000-8000-00000000000b";
    public const ushort OvsTagA = 1;
    public const ushort OvsTagB = 2;
    public const ushort IptablesZoneA = 4097;
    public const ushort IptablesZoneB = 4098;

    private readonly TempDir _dir = new();
    private readonly List<string> _namespaces = [];
    private readonly List<IDisposable> _owned = [];

    public ZoneLab()
    {
        SkipReason = Tools.NotRoot();
        if (SkipReason is not null)
            return;
        try
        {
            Chassis = Own(new OvnChassis());
            var zones = Chassis.CtZones();
            OvnZoneA = zones[Chassis.PortA];
            OvnZoneB = zones[Chassis.PortB];

            var ovs = Own(new OvsdbServer());
            ovs.AddAgentPort(Chassis.PortA, OvsTagA, Guid.NewGuid().ToString(), 100);
            ovs.AddAgentPort(Chassis.PortB, OvsTagB, Guid.NewGuid().ToString(), 200);
            OvsDb = ovs.Db;

            var rawTable = Own(new RawTableNamespace());
            rawTable.Restore(new NeutronRawRules().HybridPort(Chassis.PortA, IptablesZoneA).HybridPort(Chassis.PortB, IptablesZoneB).ToRestoreInput());
            RawTable = rawTable.Name;

            OvnTable = Table("ovn", OvnZoneA, OvnZoneB);
            OvsTable = Table("ovs", OvsTagA, OvsTagB);
            // iptables_hybrid: the entries live where the rules are, as on a node.
            Fill(RawTable, IptablesZoneA, IptablesZoneB);

            Node = _dir.Write("node.xml", NodeXml(Chassis.PortA, Chassis.PortB));
            CustomList = _dir.Write("custom-ips.txt", $"# the address tenant b talks to\n{ListedRemote}\n");
            FeedCache = Directory.CreateDirectory(_dir.File("feeds")).FullName;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string? SkipReason { get; }

    public OvnChassis Chassis { get; } = null!;

    /// <summary>The ovsdb-server holding the OVS agent's ports.</summary>
    public Oie.Zones.OvsdbEndpoint OvsDb { get; }

    /// <summary>The namespace with iptables_hybrid's raw rules and the entries in their zones.</summary>
    public string RawTable { get; } = "";

    public ushort OvnZoneA { get; }

    public ushort OvnZoneB { get; }

    /// <summary>The namespace whose table has the entries in the OVN zones.</summary>
    public string OvnTable { get; } = "";

    /// <summary>The namespace whose table has the entries in the OVS agent's VLAN zones.</summary>
    public string OvsTable { get; } = "";

    public string Node { get; } = "";

    public string CustomList { get; } = "";

    public string FeedCache { get; } = "";

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private string Table(string name, ushort zoneA, ushort zoneB)
    {
        var netns = $"oie-zl-{Environment.ProcessId}-{name}";
        Tools.Run("ip", "netns", "add", netns);
        _namespaces.Add(netns);
        Fill(netns, zoneA, zoneB);
        return netns;
    }

    /// <summary>Real kernel entries: tenant a's three flows in its zone, tenant b's five in its own.</summary>
    private static void Fill(string netns, ushort zoneA, ushort zoneB)
    {
        for (var i = 1; i <= 3; i++)
            Insert(netns, $"198.51.100.{i}", 40000 + i, zoneA);
        for (var i = 1; i <= 5; i++)
            Insert(netns, ListedRemote, 41000 + i, zoneB);
    }

    private static void Insert(string netns, string remote, int sourcePort, ushort zone) =>
        Tools.Run("ip", "netns", "exec", netns, "conntrack", "-I", "-s", SharedIp, "-d", remote, "-p", "tcp",
            "--sport", sourcePort.ToString(CultureInfo.InvariantCulture), "--dport", "443", "--state", "ESTABLISHED",
            "-t", "3600", "-w", zone.ToString(CultureInfo.InvariantCulture));

    private static string NodeXml(string portA, string portB) => $"""
        <node>
          <cpu><mhz>2400</mhz><model>i686</model><active>4</active><nodes>1</nodes><sockets>1</sockets><cores>2</cores><threads>2</threads></cpu>
          <memory>8388608</memory>
        {Domain("tenant-a-vm", InstanceA, ProjectA, portA)}
        {Domain("tenant-b-vm", InstanceB, ProjectB, portB)}
        </node>
        """;

    private static string Domain(string name, string uuid, string project, string port) => $"""
          <domain type='test'>
            <name>{name}</name>
            <uuid>{uuid}</uuid>
            <metadata>
              <nova:instance xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.1">
                <nova:owner>
                  <nova:user uuid="75736572-0000-4000-8000-000000000001">alice</nova:user>
                  <nova:project uuid="{project}">{name}-project</nova:project>
                </nova:owner>
                <nova:ports>
                  <nova:port uuid="{port}">
                    <nova:ip type="fixed" address="{SharedIp}" ipVersion="4"/>
                  </nova:port>
                </nova:ports>
              </nova:instance>
            </metadata>
            <memory unit='KiB'>1048576</memory>
            <vcpu placement='static'>1</vcpu>
            <os><type arch='i686'>hvm</type></os>
            <devices>
              <interface type='ethernet'>
                <target dev='tap{port[..11]}'/>
              </interface>
            </devices>
          </domain>
        """;

    public void Dispose()
    {
        foreach (var netns in _namespaces)
            Tools.Exec(["ip", "netns", "del", netns]);
        for (var i = _owned.Count - 1; i >= 0; i--)
            _owned[i].Dispose();
        _dir.Dispose();
    }
}
