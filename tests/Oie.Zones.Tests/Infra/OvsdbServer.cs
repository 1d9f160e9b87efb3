using Oie.Zones;
using Oie.Testing;

namespace Oie.Zones.Tests.Infra;

/// <summary>
/// A real ovsdb-server with the Open_vSwitch schema in a directory of its own (no ovs-vswitchd: ovs-vsctl --no-wait
/// writes the rows as the Neutron OVS agent and Nova's os-vif would). Dispose stops it by its PID.
/// </summary>
internal sealed class OvsdbServer : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Dictionary<string, string> _environment;
    private int _pid;

    public OvsdbServer()
    {
        _environment = new(StringComparer.Ordinal)
        {
            ["OVS_RUNDIR"] = _dir.Path,
            ["OVS_DBDIR"] = _dir.Path,
            ["OVS_LOGDIR"] = _dir.Path,
        };
        Db = new OvsdbEndpoint(_dir.File("db.sock"));
        try
        {
            Tools.Run("ovsdb-tool", "create", _dir.File("conf.db"), "/usr/share/openvswitch/vswitch.ovsschema");
            Start();
            Vsctl("init");
            Vsctl("add-br", "br-int");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public OvsdbEndpoint Db { get; }

    public void Start()
    {
        Tools.Run(["ovsdb-server", _dir.File("conf.db"), $"--remote=punix:{Db.SocketPath}", $"--pidfile={_dir.File("ovsdb.pid")}",
            "--detach", $"--log-file={_dir.File("ovsdb.log")}"], _environment);
        _pid = int.Parse(File.ReadAllText(_dir.File("ovsdb.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Stops the server by its PID and waits until it has exited (it removes its socket on the way out).</summary>
    public void Stop()
    {
        if (_pid == 0)
            return;
        Tools.Exec(["kill", _pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var pid = _pid;
        Poll.Until(() => !Tools.IsRunning(pid), $"ovsdb-server {pid} exiting");
        _pid = 0;
    }

    public string Vsctl(params string[] args) => Tools.Run(["ovs-vsctl", $"--db={Db}", "--no-wait", .. args], _environment).Trim();

    /// <summary>
    /// A VM port as it is on an ML2/OVS node with the openvswitch firewall: the tap on br-int with the Interface
    /// external_ids os-vif sets (iface-id, iface-status, attached-mac, vm-uuid), and the Port's other_config (net_uuid,
    /// network_type, physical_network, segmentation_id, tag) and tag as OVSNeutronAgent.port_bound writes them.
    /// </summary>
    public void AddAgentPort(string portId, ushort localVlan, string network, int segmentationId, string device = "tap")
    {
        var name = device + portId[..11];
        Vsctl("--", "add-port", "br-int", name,
            "--", "set", "Interface", name, $"external_ids:iface-id={portId}", "external_ids:iface-status=active",
            $"external_ids:attached-mac=fa:16:3e:{portId[..2]}:{portId[2..4]}:{portId[4..6]}", $"external_ids:vm-uuid={Guid.NewGuid()}",
            "--", "set", "Port", name, $"other_config:net_uuid={network}", "other_config:network_type=vxlan",
            "other_config:physical_network=None", $"other_config:segmentation_id={segmentationId}", $"other_config:tag={localVlan}",
            $"tag={localVlan}");
    }

    public void Dispose()
    {
        try
        {
            Stop();
        }
        finally
        {
            _dir.Dispose();
        }
    }
}
