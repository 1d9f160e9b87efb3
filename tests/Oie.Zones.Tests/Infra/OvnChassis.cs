using Oie.Zones;
using Oie.Testing;

namespace Oie.Zones.Tests.Infra;

/// <summary>
/// One real OVN chassis for all the tests of the "OVN chassis" collection, started by infra/ovn-up.sh (a copy of
/// ../shared/infra/ovn-up.sh) under a directory of its own, with ovs-vswitchd in a network namespace of its own. Two
/// tenant ports with the same fixed IP, and a Neutron-style gateway router on tenant A so that ovn-controller also
/// writes router and NAT zones. Dispose stops the daemons by their PIDs (infra/ovn-down.sh) and deletes the namespace
/// and the directory, also after a failed start.
/// </summary>
public sealed class OvnChassis : IDisposable
{
    private readonly TempDir? _dir;
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);
    private bool _namespaceCreated;

    public OvnChassis()
    {
        SkipReason = Tools.NotRoot();
        if (SkipReason is not null)
            return;
        _dir = new TempDir();
        Namespace = $"oie-zones-{Environment.ProcessId}-ovn";
        PortA = Guid.NewGuid().ToString();
        PortB = Guid.NewGuid().ToString();
        Router = "neutron-" + Guid.NewGuid();
        RouterPort = Guid.NewGuid().ToString();
        _environment["OIE_INFRA"] = _dir.Path;
        _environment["OVN_NETNS"] = Namespace;
        _environment["OVN_PORT_A"] = PortA;
        _environment["OVN_PORT_B"] = PortB;
        try
        {
            Tools.Run("ip", "netns", "add", Namespace);
            _namespaceCreated = true;
            var output = Tools.Run(["bash", Script("ovn-up.sh")], _environment);
            var socket = output.Split('\n').Single(l => l.StartsWith("ovsdb: ", StringComparison.Ordinal))["ovsdb: ".Length..];
            Assert.Null(OvsdbEndpoint.TryParse(socket, out var db));
            Db = db;
            AddRouter();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string? SkipReason { get; }

    public OvsdbEndpoint Db { get; }

    public string Namespace { get; } = "";

    public string PortA { get; } = "";

    public string PortB { get; } = "";

    /// <summary>A gateway router named as Neutron names them (neutron-&lt;router id&gt;), bound to this chassis.</summary>
    public string Router { get; } = "";

    /// <summary>The Neutron port id of the router's interface on tenant A (its OVN router port is lrp-&lt;id&gt;).</summary>
    public string RouterPort { get; } = "";

    /// <summary>The integration bridge's external_ids as <c>ovs-vsctl get bridge br-int external_ids</c> prints them.</summary>
    public Dictionary<string, string> BridgeExternalIds() => OvsMap.Parse(Vsctl("get", "bridge", "br-int", "external_ids"));

    /// <summary>The ct-zone-* keys of br-int, without the prefix, with their zones.</summary>
    public Dictionary<string, ushort> CtZones() => BridgeExternalIds()
        .Where(p => p.Key.StartsWith("ct-zone-", StringComparison.Ordinal))
        .ToDictionary(p => p.Key["ct-zone-".Length..], p => ushort.Parse(p.Value, System.Globalization.CultureInfo.InvariantCulture));

    public string Vsctl(params string[] args) => Tools.Run(["ovs-vsctl", $"--db={Db}", .. args], null).Trim();

    public string Nbctl(params string[] args) => Tools.Run(["ovn-nbctl", $"--db=unix:{Work}/nb.sock", .. args], null).Trim();

    /// <summary>A VM port as Neutron (the logical switch port) and Nova/os-vif (the OVS interface) plug it.</summary>
    public void AddVmPort(string portId, string mac, string ip)
    {
        Nbctl("lsp-add", "tenant-a", portId, "--", "lsp-set-addresses", portId, $"{mac} {ip}");
        var tap = "tap" + portId[..11];
        Vsctl("add-port", "br-int", tap, "--", "set", "interface", tap, "type=internal", $"external_ids:iface-id={portId}");
    }

    public void DeleteVmPort(string portId)
    {
        Nbctl("lsp-del", portId);
        Vsctl("del-port", "br-int", "tap" + portId[..11]);
    }

    private string Work => Path.Combine(_dir!.Path, "ovn");

    private static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "infra", name);

    private void AddRouter()
    {
        Nbctl("lr-add", Router, "--", "set", "logical_router", Router, "options:chassis=hv1");
        Nbctl("lrp-add", Router, "lrp-" + RouterPort, "fa:16:3e:00:00:01", "10.0.0.1/24");
        Nbctl("lsp-add", "tenant-a", RouterPort, "--", "lsp-set-type", RouterPort, "router", "--",
            "lsp-set-addresses", RouterPort, "router", "--", "lsp-set-options", RouterPort, "router-port=lrp-" + RouterPort);
        Poll.Until(() => CtZones().Keys.Any(k => k.EndsWith("_dnat", StringComparison.Ordinal)) &&
                         CtZones().ContainsKey("lrp-" + RouterPort),
            "ovn-controller assigning the router's zones");
    }

    public void Dispose()
    {
        if (_dir is null)
            return;
        try
        {
            Tools.Exec(["bash", Script("ovn-down.sh")], _environment);
        }
        finally
        {
            if (_namespaceCreated)
                Tools.Exec(["ip", "netns", "del", Namespace]);
            _dir.Dispose();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class OvnChassisCollection : ICollectionFixture<OvnChassis>
{
    public const string Name = "OVN chassis";
}
