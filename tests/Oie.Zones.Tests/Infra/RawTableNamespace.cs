using Oie.Testing;
namespace Oie.Zones.Tests.Infra;

/// <summary>
/// A network namespace of this test run whose raw table gets iptables rules exactly as Neutron's iptables firewall
/// writes them (through iptables-restore -n, as its IptablesManager does). Dispose deletes it, also after a failure.
/// </summary>
internal sealed class RawTableNamespace : IDisposable
{
    private static int _count;
    private readonly TempDir _dir = new();

    public RawTableNamespace()
    {
        Name = $"oie-zones-{Environment.ProcessId}-{Interlocked.Increment(ref _count)}";
        Tools.Run("ip", "netns", "add", Name);
    }

    public string Name { get; }

    /// <summary>The command the sources run: iptables-save inside this namespace.</summary>
    public IReadOnlyList<string> IptablesSave => ["ip", "netns", "exec", Name, "iptables-save"];

    public string In(params string[] argv) => Tools.Run(["ip", "netns", "exec", Name, .. argv], null);

    /// <summary>Loads rules in iptables-restore format without flushing what is there.</summary>
    public void Restore(string rules) => In("iptables-restore", "-n", _dir.Write("rules", rules));

    public void Dispose()
    {
        Tools.Exec(["ip", "netns", "del", Name]);
        _dir.Dispose();
    }
}
