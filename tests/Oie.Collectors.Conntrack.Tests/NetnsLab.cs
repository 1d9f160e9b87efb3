using System.Diagnostics;

namespace Oie.Collectors.Conntrack.Tests;

/// <summary>
/// Two network namespaces of this test run, joined by a veth pair, with IPv4 + IPv6 addresses and an nft rule using
/// <c>ct state</c> so the kernel tracks connections in them (as ../shared/infra/conntrack-up.sh). All traffic stays
/// inside them. Dispose kills the servers it started (by PID) and deletes both namespaces, also after a failure.
/// </summary>
internal sealed class NetnsLab : IDisposable
{
    public const string A4 = "10.201.0.1";
    public const string B4 = "10.201.0.2";
    public const string A6 = "fd00:201::1";
    public const string B6 = "fd00:201::2";
    private static readonly string[] Tools = ["ip", "nft", "conntrack", "socat", "ping", "ss", "sysctl"];
    private static readonly string[] FlowTimeouts =
    [
        "udp_timeout", "udp_timeout_stream", "icmp_timeout", "icmpv6_timeout", "tcp_timeout_time_wait",
        "tcp_timeout_close", "tcp_timeout_fin_wait", "tcp_timeout_close_wait", "tcp_timeout_last_ack",
    ];
    private static int _labs;

    private readonly List<Process> _servers = [];
    private readonly TempDir _dir = new();
    private readonly List<string> _created = [];

    private NetnsLab()
    {
        var id = $"{Environment.ProcessId}-{Interlocked.Increment(ref _labs)}";
        A = $"oie-ct-{id}-a";
        B = $"oie-ct-{id}-b";
    }

    /// <summary>The client side: the flows are made from here and its table is read.</summary>
    public string A { get; }

    /// <summary>The server side.</summary>
    public string B { get; }

    /// <summary>Why the lab cannot run here, or null.</summary>
    public static string? MissingPrerequisite()
    {
        if (!Environment.IsPrivilegedProcess)
            return "needs root to create network namespaces (run the tests as root)";
        var missing = Tools.Where(tool => !Programs.OnPath(tool)).ToList();
        return missing.Count == 0 ? null
            : $"missing tools: {string.Join(", ", missing)} (scripts/install-deps.sh installs iproute2 nftables conntrack socat iputils-ping)";
    }

    /// <summary>Creates the lab; null with <paramref name="skipReason"/> when the kernel refuses namespaces.</summary>
    public static NetnsLab? TryCreate(out string? skipReason)
    {
        var lab = new NetnsLab();
        skipReason = null;
        try
        {
            var (code, _, stderr) = Exec(["ip", "netns", "add", lab.A]);
            if (code != 0)
            {
                skipReason = $"cannot create a network namespace here: {stderr.Trim()}";
                lab.Dispose();
                return null;
            }
            lab._created.Add(lab.A);
            lab.Setup();
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    private void Setup()
    {
        Run("ip", "netns", "add", B);
        _created.Add(B);
        var (vethA, vethB) = ($"oct{Environment.ProcessId}a", $"oct{Environment.ProcessId}b");
        Run("ip", "link", "add", vethA, "netns", A, "type", "veth", "peer", "name", vethB, "netns", B);
        Run("ip", "-n", A, "addr", "add", A4 + "/24", "dev", vethA);
        Run("ip", "-n", A, "addr", "add", A6 + "/64", "dev", vethA, "nodad");
        Run("ip", "-n", B, "addr", "add", B4 + "/24", "dev", vethB);
        Run("ip", "-n", B, "addr", "add", B6 + "/64", "dev", vethB, "nodad");
        var rules = _dir.Write("ctrk.nft", """
            table inet ctrk {
              chain input  { type filter hook input  priority 0; ct state established,related,new,untracked counter accept; }
              chain output { type filter hook output priority 0; ct state established,related,new,untracked counter accept; }
            }
            """);
        foreach (var (ns, veth) in new[] { (A, vethA), (B, vethB) })
        {
            Run("ip", "-n", ns, "link", "set", "lo", "up");
            Run("ip", "-n", ns, "link", "set", veth, "up");
            In(ns, "nft", "-f", rules);
            // Finished flows live for seconds by default (UDP and ICMP 30 s, TCP CLOSE 10 s): a loaded machine can
            // take that long between making them and reading them. An hour keeps the table the test made.
            foreach (var timeout in FlowTimeouts)
                In(ns, "sysctl", "-qw", $"net.netfilter.nf_conntrack_{timeout}=3600");
        }
    }

    /// <summary>Starts a long-running server inside <paramref name="ns"/>; Dispose kills it by PID.</summary>
    public void Serve(string ns, params string[] argv)
    {
        var process = Process.Start(Programs.StartInfo(["ip", "netns", "exec", ns, .. argv]))!;
        _servers.Add(process);
        process.StandardInput.Close();
    }

    /// <summary>Waits until a server in <paramref name="ns"/> listens on the port (polls ss, bounded).</summary>
    public void WaitListening(string ns, string ssFlags, int port)
    {
        var clock = Stopwatch.StartNew();
        while (In(ns, "ss", "-H", ssFlags, $"sport = :{port}").Trim().Length == 0)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
                throw new TimeoutException($"nothing listens on {port} in {ns}");
            Thread.Sleep(20);
        }
    }

    public string Payload => _dir.Write("payload", "oie\n");

    public string File(string name) => _dir.File(name);

    public string In(string ns, params string[] argv) => Run(["ip", "netns", "exec", ns, .. argv]);

    public static string Run(params string[] argv)
    {
        var (code, stdout, stderr) = Exec(argv);
        if (code != 0)
            throw new InvalidOperationException($"`{string.Join(' ', argv)}` exited with {code}: {stderr.Trim()}");
        return stdout;
    }

    private static (int Code, string Stdout, string Stderr) Exec(string[] argv)
    {
        using var process = Process.Start(Programs.StartInfo(argv))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"`{string.Join(' ', argv)}` did not finish within 30s");
        }
        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    public void Dispose()
    {
        foreach (var server in _servers)
        {
            try
            {
                if (!server.HasExited)
                    server.Kill(entireProcessTree: true);
                server.WaitForExit();
            }
            catch (InvalidOperationException)
            {
            }
            server.Dispose();
        }
        foreach (var ns in _created)
            Exec(["ip", "netns", "del", ns]);
        _dir.Dispose();
    }
}
