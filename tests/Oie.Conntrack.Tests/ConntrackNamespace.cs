using System.Text;

namespace Oie.Conntrack.Tests;

/// <summary>
/// A network namespace of this test run with real kernel conntrack, filled and emptied with <c>conntrack -I</c>/<c>-D</c>
/// (batched with <c>-R</c>): no traffic at all. Dispose deletes it, also after a failure. Every command is waited for,
/// so the kernel has sent its events once a call returns (ctnetlink reports them within the request).
/// </summary>
internal sealed class ConntrackNamespace : IDisposable
{
    private static int _made;
    private readonly TempDir _dir = new();

    private ConntrackNamespace(string name) => Name = name;

    public string Name { get; }

    /// <summary>Why it cannot run here, or null.</summary>
    public static string? MissingPrerequisite() =>
        !Environment.IsPrivilegedProcess ? "needs root to create network namespaces (run the tests as root)"
        : !Programs.OnPath("ip") || !Programs.OnPath("conntrack") ? "needs iproute2 and conntrack (scripts/install-deps.sh)"
        : null;

    /// <param name="events">net.netfilter.nf_conntrack_events in it (1: every entry reports its end).</param>
    public static ConntrackNamespace Create(int events = 1)
    {
        var ns = new ConntrackNamespace($"oie-ev-{Environment.ProcessId}-{Interlocked.Increment(ref _made)}");
        Run("ip", "netns", "add", ns.Name);
        try
        {
            ns.Sysctl("net.netfilter.nf_conntrack_events", events);
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    public void Sysctl(string name, int value) => In("sysctl", "-qw", $"{name}={value}");

    /// <summary>Runs conntrack commands (lines such as <c>-I -s … --timeout 3600</c>) in one process.</summary>
    public void Batch(IEnumerable<string> commands)
    {
        string file = _dir.Write($"batch-{Guid.NewGuid():N}", string.Join('\n', commands) + "\n");
        In("conntrack", "-R", file);
    }

    /// <summary>A fresh <c>conntrack -L -o extended</c> of the namespace (IPv4 and IPv6).</summary>
    public byte[] List() => Encoding.ASCII.GetBytes(In("conntrack", "-L", "-o", "extended"));

    public string In(params string[] argv) => Run(["ip", "netns", "exec", Name, .. argv]);

    private static string Run(params string[] argv)
    {
        var (code, stdout, stderr) = Programs.Exec(argv);
        if (code != 0)
        {
            throw new InvalidOperationException($"`{string.Join(' ', argv)}` exited with {code}: {stderr.Trim()}");
        }
        return stdout;
    }

    public void Dispose()
    {
        try
        {
            Run("ip", "netns", "del", Name);
        }
        catch (InvalidOperationException)
        {
        }

        _dir.Dispose();
    }
}
