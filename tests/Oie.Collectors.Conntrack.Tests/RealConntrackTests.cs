using System.Globalization;
using Oie.Collectors.Conntrack;

namespace Oie.Collectors.Conntrack.Tests;

/// <summary>
/// The real thing: kernel conntrack in network namespaces this test creates, real TCP/UDP/ICMP flows over IPv4 and
/// IPv6 between them, and the real conntrack tool run through -conntrack.command="ip netns exec NS conntrack".
/// Skipped (with the reason) when not root or when the tools are missing.
/// </summary>
public sealed class RealConntrackTests
{
    private const int TcpPerFamily = 3;
    private const int UdpPerFamily = 2;
    private const int IcmpPerFamily = 1;
    internal const int FlowsPerFamily = TcpPerFamily + UdpPerFamily + IcmpPerFamily;

    [SkippableFact]
    public void Counts_match_the_kernel_table_and_the_flows_made()
    {
        var missing = NetnsLab.MissingPrerequisite();
        Skip.If(missing is not null, missing);
        using var lab = NetnsLab.TryCreate(out var refused);
        Skip.If(lab is null, refused);

        MakeFlows(lab);
        var tableSize = Count(lab);
        Assert.Equal(2 * FlowsPerFamily, tableSize);

        Instance a = Vm.With(InstanceBuilder.Nova("ns-a", "uuid-a"), NetnsLab.A4, "FD00:201:0:0::1");
        Instance b = Vm.With(InstanceBuilder.Nova("ns-b", "uuid-b"), NetnsLab.B4, NetnsLab.B6);
        Instance idle = Vm.With(InstanceBuilder.Nova("ns-idle", "uuid-idle"), "10.201.0.99");
        var collector = Conntrack.Create($"-conntrack.command=ip netns exec {lab.A} conntrack", "-conntrack.min=1");
        var samples = collector.Run(Cycle.Of(0, a, b, idle));

        Assert.Equal(tableSize, Count(lab));   // nothing expired or appeared while the collector read the table
        Assert.Equal(
            [
                ("ns-a", "10.201.0.1", "ipv4", (double)FlowsPerFamily),
                ("ns-a", "fd00:201::1", "ipv6", FlowsPerFamily),
                ("ns-b", "10.201.0.2", "ipv4", FlowsPerFamily),
                ("ns-b", "fd00:201::2", "ipv6", FlowsPerFamily),
            ],
            Conntrack.IpTotals(samples));
        Assert.Equal(tableSize, Conntrack.Host(samples, "oie_conntrack_entries"));
        Assert.Equal(0, Conntrack.Host(samples, "oie_conntrack_malformed_lines"));
        Assert.Equal(Lines(lab.In(lab.A, "conntrack", "-L", "-f", "ipv4")), samples.Of("oie_conntrack_ip_total")[0].Value);
        Assert.Equal(Lines(lab.In(lab.A, "conntrack", "-L", "-f", "ipv6")), samples.Of("oie_conntrack_ip_total")[1].Value);

        // The kernel's own listing of the same table (expanded IPv6, zone=0) through -conntrack.path gives the same.
        var proc = lab.In(lab.A, "cat", "/proc/net/nf_conntrack");
        if (proc.Length > 0)
        {
            File.WriteAllText(lab.File("nf_conntrack"), proc);
            var fromProc = Conntrack.Create($"-conntrack.path={lab.File("nf_conntrack")}", "-conntrack.min=1").Run(Cycle.Of(1, a, b, idle));
            Assert.Equal(Conntrack.IpTotals(samples), Conntrack.IpTotals(fromProc));
        }
    }

    internal static void MakeFlows(NetnsLab lab)
    {
        lab.Serve(lab.B, "socat", "-u", "TCP6-LISTEN:8080,fork,reuseaddr,ipv6only=0", "/dev/null");
        lab.Serve(lab.B, "socat", "-u", "UDP6-RECVFROM:5353,fork,ipv6only=0", "/dev/null");
        lab.WaitListening(lab.B, "-ltn", 8080);
        lab.WaitListening(lab.B, "-lun", 5353);
        var payload = lab.Payload;
        for (var i = 0; i < TcpPerFamily; i++)
        {
            lab.In(lab.A, "socat", "-u", $"OPEN:{payload}", $"TCP4:{NetnsLab.B4}:8080,sourceport={41000 + i}");
            lab.In(lab.A, "socat", "-u", $"OPEN:{payload}", $"TCP6:[{NetnsLab.B6}]:8080,sourceport={41100 + i}");
        }
        for (var i = 0; i < UdpPerFamily; i++)
        {
            lab.In(lab.A, "socat", "-u", $"OPEN:{payload}", $"UDP4-SENDTO:{NetnsLab.B4}:5353,sourceport={42000 + i}");
            lab.In(lab.A, "socat", "-u", $"OPEN:{payload}", $"UDP6-SENDTO:[{NetnsLab.B6}]:5353,sourceport={42100 + i}");
        }
        for (var i = 0; i < IcmpPerFamily; i++)
        {
            lab.In(lab.A, "ping", "-q", "-c", "1", "-W", "5", NetnsLab.B4);
            lab.In(lab.A, "ping", "-q", "-c", "1", "-W", "5", NetnsLab.B6);
        }
    }

    internal static int Count(NetnsLab lab) => int.Parse(lab.In(lab.A, "conntrack", "-C").Trim(), CultureInfo.InvariantCulture);

    private static double Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
}
