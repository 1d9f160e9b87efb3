using System.Text;
using Oie.Abstractions;
using Oie.Net;

namespace Oie.Benchmarks;

/// <summary>
/// A deterministic conntrack capture in the <c>conntrack -L -o extended</c> format with accounting on: 75% IPv4 / 25%
/// IPv6; 60% tcp, 35% udp, 5% icmp; about 30% of the entries touch one of the instances' fixed IPs (as source or
/// destination), the rest are between addresses no instance has.
/// </summary>
public static class CaptureGenerator
{
    public const int DefaultLines = 1_000_000;
    public const int DefaultInstances = 1_000;

    /// <summary>Instance i has fixed IPs 10.(i/256).(i%256).10 and fd00:10::(i):a on its port <see cref="PortId"/>.
    /// A second tenant (<paramref name="tenant"/> 1) holds the same addresses on ports of its own.</summary>
    public static List<Instance> Instances(int count = DefaultInstances, int tenant = 0) =>
    [
        .. Enumerable.Range(0, count).Select(i => new Instance(
            new InstanceFacts
            {
                Domain = tenant == 0 ? $"instance-{i:x8}" : $"instance-{tenant}-{i:x8}",
                InstanceUuid = $"0000000{tenant}-0000-0000-0000-{i:x12}",
                FixedIps = [new FixedIp(V4(i).ToString(), 4, PortId(tenant, i)), new FixedIp(V6(i).ToString(), 6, PortId(tenant, i))],
            },
            new InstanceStats())),
    ];

    public static string PortId(int tenant, int instance) => $"{tenant:x8}-0000-4000-8000-{instance:x12}";

    /// <summary>The conntrack zone of a port in a <see cref="Write"/> capture with zones: tenant 0's instance i is in
    /// zone i + 1, tenant 1's in 2001 + i.</summary>
    public static ushort Zone(int tenant, int instance) => (ushort)(tenant * 2000 + instance + 1);

    /// <param name="zones">Write each entry that touches an instance in the zone of one of the two tenants' ports
    /// holding its address (alternately), as on a node where tenants share a subnet; the entries are otherwise the
    /// same as without.</param>
    public static void Write(string path, int lines = DefaultLines, int instances = DefaultInstances, bool zones = false)
    {
        var random = new Random(20261127);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        var line = new StringBuilder(300);
        for (int n = 0; n < lines; n++)
        {
            line.Clear();
            int touched = Append(line, random, instances);
            if (zones && touched >= 0)
            {
                line.Length -= " use=1".Length;
                line.Append(" zone=").Append(Zone(n & 1, touched)).Append(" use=1");
            }

            writer.WriteLine(line);
        }
    }

    /// <summary>Appends one entry; returns the instance it touches, or -1.</summary>
    private static int Append(StringBuilder s, Random r, int instances)
    {
        bool v6 = r.Next(4) == 0;
        int touch = r.Next(100);
        int k = r.Next(instances);
        IpKey instance = v6 ? V6(k) : V4(k);
        IpKey remote = Remote(r, v6);
        (IpKey src, IpKey dst) = touch switch
        {
            < 18 => (instance, remote),
            < 30 => (remote, instance),
            _ => (Remote(r, v6), remote),
        };

        int p = r.Next(100);
        (string name, int number) = p < 60 ? ("tcp", 6) : p < 95 ? ("udp", 17) : v6 ? ("icmpv6", 58) : ("icmp", 1);
        s.Append(v6 ? "ipv6     10 " : "ipv4     2 ").Append(name.PadRight(8)).Append(' ').Append(number).Append(' ');
        s.Append(number == 6 ? r.Next(431999) : r.Next(180)).Append(' ');
        if (number == 6)
        {
            s.Append(r.Next(10) < 8 ? "ESTABLISHED " : "TIME_WAIT ");
        }

        bool replied = r.Next(10) < 8;
        int sport = r.Next(1024, 65536), dport = number == 17 ? 53 : 443;
        Tuple(s, r, src, dst, number, sport, dport);
        if (!replied)
        {
            s.Append("[UNREPLIED] ");
        }

        Tuple(s, r, dst, src, number, dport, sport);
        if (replied)
        {
            s.Append("[ASSURED] ");
        }

        s.Append("mark=0 delta-time=").Append(r.Next(100000)).Append(" use=1");
        return touch < 30 ? k : -1;
    }

    private static void Tuple(StringBuilder s, Random r, IpKey src, IpKey dst, int protocol, int sport, int dport)
    {
        s.Append("src=").Append(src.ToString()).Append(" dst=").Append(dst.ToString()).Append(' ');
        if (protocol is 1 or 58)
        {
            s.Append("type=8 code=0 id=").Append(sport).Append(' ');
        }
        else
        {
            s.Append("sport=").Append(sport).Append(" dport=").Append(dport).Append(' ');
        }

        s.Append("packets=").Append(r.Next(1, 5000)).Append(" bytes=").Append(r.Next(60, 5_000_000)).Append(' ');
    }

    internal static IpKey V4(int i) => IpKey.FromV4(0x0A00000Au | ((uint)(i & 0xFFFF) << 8));

    internal static IpKey V6(int i) => IpKey.FromV6(((UInt128)0xFD000010u << 96) | ((UInt128)(uint)i << 16) | 0xA);

    internal static IpKey Remote(Random r, bool v6) => v6
        ? IpKey.FromV6(((UInt128)0x2001_0db8u << 96) | ((UInt128)(ulong)r.NextInt64() << 32) | (uint)r.Next())
        : IpKey.FromV4(0xC0000000u | (uint)r.Next(0x3FFFFFFF));
}
