using System.Globalization;
using System.Text;
using Oie.Collectors.Conntrack;
using Oie.Conntrack;
using Oie.Conntrack.Netlink;

namespace Oie.Collectors.Conntrack.Tests;

/// <summary>
/// The netlink source against real kernel conntrack in network namespaces this test creates: the same table read by the
/// conntrack tool (the text path) and by a ctnetlink dump must give the same per-IP counts, IPv4 and IPv6, several
/// protocols, zones and marks; also at tens of thousands of entries. Skipped (with the reason) when not root.
/// </summary>
public sealed class NetlinkRealConntrackTests
{
    private static NetnsLab Lab()
    {
        var missing = NetnsLab.MissingPrerequisite();
        Skip.If(missing is not null, missing);
        var lab = NetnsLab.TryCreate(out var refused);
        Skip.If(lab is null, refused);
        return lab!;
    }

    private static (RecordingSampleWriter Cli, RecordingSampleWriter Netlink) ReadBoth(NetnsLab lab, CycleSnapshot cycle)
    {
        var cli = Conntrack.Create($"-conntrack.command=ip netns exec {lab.A} conntrack", "-conntrack.min=1").Run(cycle);
        var netlink = Conntrack.Create("-conntrack.source=netlink", $"-conntrack.netns={lab.A}", "-conntrack.min=1").Run(cycle);
        return (cli, netlink);
    }

    [SkippableFact]
    public void Real_flows_and_inserted_entries_count_the_same_as_the_tool()
    {
        using var lab = Lab();
        RealConntrackTests.MakeFlows(lab);
        // Protocols and attributes real traffic here does not make: SCTP, GRE, UDP-Lite, a zone, a mark.
        File.WriteAllLines(lab.File("extra.load"),
        [
            $"-I -s {NetnsLab.A4} -d {NetnsLab.B4} -p sctp --sport 5000 --dport 5001 --state ESTABLISHED --orig-vtag 1 --reply-vtag 2 --timeout 600",
            $"-I -s {NetnsLab.B6} -d {NetnsLab.A6} -p sctp --sport 5002 --dport 5003 --state ESTABLISHED --orig-vtag 3 --reply-vtag 4 --timeout 600",
            $"-I -s {NetnsLab.A4} -d 192.0.2.7 -p gre --srckey 1 --dstkey 2 --timeout 600",
            $"-I -s 198.51.100.9 -d {NetnsLab.B4} -p udplite --sport 7000 --dport 7001 --timeout 600",
            $"-I -s {NetnsLab.A6} -d 2001:db8::99 -p udp --sport 7100 --dport 53 --timeout 600 --zone 7 --mark 42",
            $"-I -s {NetnsLab.A4} -d {NetnsLab.B4} -p tcp --sport 7200 --dport 80 --state SYN_SENT --timeout 600 --zone 3",
        ]);
        lab.In(lab.A, "conntrack", "-R", lab.File("extra.load"));
        var tableSize = RealConntrackTests.Count(lab);

        Instance a = Vm.With(InstanceBuilder.Nova("ns-a", "uuid-a"), NetnsLab.A4, NetnsLab.A6);
        Instance b = Vm.With(InstanceBuilder.Nova("ns-b", "uuid-b"), NetnsLab.B4, NetnsLab.B6);
        var cycle = Cycle.Of(0, a, b);
        var (cli, netlink) = ReadBoth(lab, cycle);

        Assert.Equal(tableSize, RealConntrackTests.Count(lab)); // nothing expired or appeared meanwhile
        Assert.Equal(tableSize, Conntrack.Host(netlink, "oie_conntrack_entries"));
        Assert.Equal(0, Conntrack.Host(netlink, "oie_conntrack_malformed_lines"));
        Assert.Equal(Conntrack.IpTotals(cli), Conntrack.IpTotals(netlink));
        Assert.Equal(Conntrack.Host(cli, "oie_conntrack_entries"), Conntrack.Host(netlink, "oie_conntrack_entries"));
        // Both families and the inserted entries are really in there: 6 made flows per family plus the extra ones.
        Assert.Equal(
            [
                ("ns-a", NetnsLab.A4, "ipv4", 6.0 + 3),
                ("ns-a", NetnsLab.A6, "ipv6", 6.0 + 2),
                ("ns-b", NetnsLab.B4, "ipv4", 6.0 + 3),
                ("ns-b", NetnsLab.B6, "ipv6", 6.0 + 1),
            ],
            Conntrack.IpTotals(netlink));
    }

    [SkippableFact]
    public void Tens_of_thousands_of_entries_count_the_same_as_the_tool_and_a_late_dump_is_rejected()
    {
        using var lab = Lab();
        const int Entries = 40_000;
        var instances = BulkTable(lab, Entries);
        Assert.Equal(Entries, RealConntrackTests.Count(lab));
        var cycle = Cycle.Of(0, [.. instances]);

        var (cli, netlink) = ReadBoth(lab, cycle);

        Assert.Equal(Entries, Conntrack.Host(netlink, "oie_conntrack_entries"));
        Assert.Equal(Entries, Conntrack.Host(cli, "oie_conntrack_entries"));
        Assert.Equal(0, Conntrack.Host(netlink, "oie_conntrack_malformed_lines"));
        var totals = Conntrack.IpTotals(netlink);
        Assert.Equal(Conntrack.IpTotals(cli), totals);
        Assert.Equal(2 * 200, totals.Count); // every instance's two fixed IPs were seen
        Assert.Equal(Entries, totals.Sum(t => t.Count)); // each entry touches exactly one fixed IP

        // The other namespace's table is not this one: the socket belongs to the namespace it was opened in.
        var other = Conntrack.Create("-conntrack.source=netlink", $"-conntrack.netns={lab.B}", "-conntrack.min=1").Run(cycle);
        Assert.Equal(int.Parse(lab.In(lab.B, "conntrack", "-C").Trim(), CultureInfo.InvariantCulture), Conntrack.Host(other, "oie_conntrack_entries"));
        Assert.Empty(Conntrack.IpTotals(other));

        // Nothing allocated per entry on the live path either: socket, namespace thread and buffer are per dump.
        var allocated = AllocatedByDump(lab.A, Entries);
        Assert.True(allocated < 4_096, $"a dump of {Entries} entries allocated {allocated} bytes");

        // 40k entries take the kernel tens of milliseconds to dump: a 1 ms deadline passes mid-dump.
        var late = Conntrack.Create(TimeSpan.FromSeconds(10), "-conntrack.source=netlink", $"-conntrack.netns={lab.A}", "-conntrack.timeout=1ms");
        var error = Assert.Throws<CollectorSourceException>(() => late.Run(cycle));
        Assert.Equal("conntrack", error.Source);
        Assert.Contains("did not finish within -conntrack.timeout=1ms", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The least of three dumps after a warm-up (JIT, the buffer pool), as the parser's allocation tests.</summary>
    private static long AllocatedByDump(string netns, int entries)
    {
        var sink = new CountingSink();
        ConntrackDump.Read(netns, sink, CancellationToken.None);
        return AllocationMeter.LeastOfThree(() =>
        {
            sink.Count = 0;
            return () =>
            {
                ConntrackDump.Read(netns, sink, CancellationToken.None);
                return sink.Count;
            };
        }, n => Assert.Equal(entries, n));
    }

    private sealed class CountingSink : IFlowSink
    {
        public long Count { get; set; }

        public void OnFlow(in ConntrackFlow flow) => Count++;
    }

    [SkippableFact]
    public void A_namespace_that_does_not_exist_fails_the_cycle_naming_it()
    {
        var missing = NetnsLab.MissingPrerequisite();
        Skip.If(missing is not null, missing);
        var name = $"oie-ct-missing-{Environment.ProcessId}";
        var collector = Conntrack.Create("-conntrack.source=netlink", $"-conntrack.netns={name}");
        var error = Assert.Throws<CollectorSourceException>(() => collector.Run(Cycle.Of(0, Vm.A)));
        Assert.Contains($"/run/netns/{name}", error.Message, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Inserts <paramref name="entries"/> entries into A's table with one `conntrack -R` (a load file of -I commands:
    /// ~0.6 s per 30k, no traffic): 200 instances, each with an IPv4 and an IPv6 fixed IP; every entry has exactly one
    /// fixed IP as its source or destination and a remote that is no instance's; tcp, udp, icmp, icmpv6, sctp.
    /// </summary>
    private static List<Instance> BulkTable(NetnsLab lab, int entries)
    {
        var instances = new List<Instance>();
        for (var i = 0; i < 200; i++)
            instances.Add(Vm.With(InstanceBuilder.Nova($"bulk-{i:D3}", $"uuid-{i}"), $"10.77.{i / 100}.{i % 100 + 1}", $"fd00:77::{i + 1:x}"));
        var load = new StringBuilder();
        for (var n = 0; n < entries; n++)
        {
            var i = n % 200;
            var v6 = n / 200 % 4 == 0;
            var local = v6 ? $"fd00:77::{i + 1:x}" : $"10.77.{i / 100}.{i % 100 + 1}";
            var remote = v6 ? $"2001:db8:{n >> 16:x}::{n & 0xFFFF:x}" : $"198.18.{n >> 8 & 0xFF}.{n & 0xFF}";
            var (src, dst) = n % 3 == 0 ? (remote, local) : (local, remote);
            var port = 1024 + (n % 60000);
            load.Append("-I -s ").Append(src).Append(" -d ").Append(dst).Append(' ').Append((n % 5) switch
            {
                0 => $"-p tcp --sport {port} --dport 443 --state ESTABLISHED",
                1 or 2 => $"-p udp --sport {port} --dport 53",
                3 => v6 ? $"-p icmpv6 --icmpv6-type 128 --icmpv6-code 0 --icmpv6-id {n & 0xFFFF}" : $"-p icmp --icmp-type 8 --icmp-code 0 --icmp-id {n & 0xFFFF}",
                _ => $"-p sctp --sport {port} --dport 9899 --state ESTABLISHED --orig-vtag 1 --reply-vtag 2",
            }).Append(" --timeout 600\n");
        }
        File.WriteAllText(lab.File("bulk.load"), load.ToString());
        lab.In(lab.A, "conntrack", "-R", lab.File("bulk.load"));
        return instances;
    }
}
