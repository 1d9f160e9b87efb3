using Oie.Testing;

namespace Oie.Zones.Tests.Infra;

/// <summary>Runs the machine's tools (ovs-vsctl, ovn-nbctl, ip, iptables, …) without a shell, bounded in time.</summary>
internal static class Tools
{
    /// <summary>Why the real-component tests cannot run here, or null. Only a non-root run skips: the tools themselves
    /// are installed by scripts/install-deps.sh, and a missing one fails the test.</summary>
    public static string? NotRoot() => Environment.IsPrivilegedProcess
        ? null
        : "needs root (network namespaces, iptables, Open vSwitch and OVN daemons): run the tests as root";

    public static void SkipUnlessRoot()
    {
        var reason = NotRoot();
        Skip.If(reason is not null, reason);
    }

    public static (int Code, string Stdout, string Stderr) Exec(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string>? environment = null) =>
        Programs.Exec(argv, environment);

    public static string Run(params string[] argv) => Run(argv, null);

    public static string Run(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string>? environment)
    {
        var (code, stdout, stderr) = Exec(argv, environment);
        if (code != 0)
            throw new InvalidOperationException($"`{string.Join(' ', argv)}` exited with {code}: {stderr.Trim()} {stdout.Trim()}");
        return stdout;
    }

    /// <summary>True while the process exists and is not a zombie (killed, waiting for whoever adopted it to reap it).</summary>
    public static bool IsRunning(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return false;
        }
        var state = stat[(stat.LastIndexOf(')') + 2)..][0];
        return state is not ('Z' or 'X');
    }

    /// <summary>True when no process with this PID exists any more, not even a zombie: it was reaped.</summary>
    public static bool IsReaped(int pid) => !Directory.Exists($"/proc/{pid}");
}
