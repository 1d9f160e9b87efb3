namespace Oie.EndToEnd.Tests;

/// <summary>
/// A network namespace of this run in which the kernel tracks connections (an nft rule using <c>ct state</c> makes it
/// attach the conntrack hooks, as ../shared/infra/conntrack-up.sh). libvirtd runs inside it, so the guests' taps are
/// created here; the peer address 10.0.0.1 goes on the guest's tap, and a TCP server here answers the guest. Nothing of
/// it touches the machine's root namespace. Dispose kills the servers by PID and deletes the namespace.
/// </summary>
internal sealed class ConntrackNamespace : IDisposable
{
    public const string PeerAddress = "10.0.0.1";
    public const int TcpPort = 8080;
    private readonly List<Daemon> _servers = [];

    private ConntrackNamespace(string name)
    {
        Name = name;
    }

    public string Name { get; }
    public string NetnsPath => "/run/netns/" + Name;

    /// <summary>The exporter's -conntrack.command for this namespace's table.</summary>
    public string ConntrackCommand => $"ip netns exec {Name} conntrack";

    public static ConntrackNamespace Create(RunDirectory run)
    {
        var ns = new ConntrackNamespace($"oie-e2e-{Environment.ProcessId}");
        Sh.Try(TimeSpan.FromSeconds(10), "ip", "netns", "del", ns.Name);
        run.RecordNamespace(ns.Name);
        Sh.Run("ip", "netns", "add", ns.Name);
        try
        {
            Sh.Run("ip", "-n", ns.Name, "link", "set", "lo", "up");
            var rules = run.Write("ctrk.nft", """
                table inet ctrk {
                  chain input  { type filter hook input  priority 0; ct state established,related,new,untracked counter accept; }
                  chain output { type filter hook output priority 0; ct state established,related,new,untracked counter accept; }
                }
                """);
            ns.Exec("nft", "-f", rules);
            ns.Exec("sysctl", "-qw", "net.netfilter.nf_conntrack_acct=1");
            ns._servers.Add(Daemon.StartAs(run, "tcp-peer", "socat", "ip", "netns", "exec", ns.Name,
                "socat", "-u", $"TCP-LISTEN:{TcpPort},fork,reuseaddr", "/dev/null"));
        }
        catch
        {
            ns.Dispose();
            throw;
        }
        return ns;
    }

    public string Exec(params string[] argv) => Sh.Run(["ip", "netns", "exec", Name, .. argv]);

    /// <summary>Gives the guest's tap (created here by libvirtd) the peer address the guest talks to.</summary>
    public void AddPeer(string tap) => Sh.Run("ip", "-n", Name, "addr", "replace", PeerAddress + "/24", "dev", tap);

    /// <summary>The namespace's conntrack table, for failure messages.</summary>
    public string Table() => Sh.Try(TimeSpan.FromSeconds(10), "ip", "netns", "exec", Name, "conntrack", "-L").Stdout;

    public void Dispose()
    {
        foreach (var server in _servers)
            server.Dispose();
        Sh.Try(TimeSpan.FromSeconds(10), "ip", "netns", "del", Name);
    }
}
