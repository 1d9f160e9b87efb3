using System.Text;
using Oie.Conntrack;
using Oie.Net;

namespace Oie.Benchmarks;

/// <summary>One kind of conntrack capture: which optional fields its lines carry and how they are laid out.</summary>
/// <param name="V6Percent">Share of IPv6 entries.</param>
/// <param name="Accounting"><c>packets= bytes=</c> in both tuples (<c>nf_conntrack_acct=1</c>).</param>
/// <param name="Zones"><c>zone=N</c> (1–4000) on every entry.</param>
/// <param name="Nat">The reply tuple differs from the original (SNAT to a floating IP, DNAT to a fixed IP).</param>
/// <param name="UnrepliedPercent">Share of <c>[UNREPLIED]</c> entries (no <c>[ASSURED]</c>).</param>
/// <param name="SecctxLabels"><c>secctx=…</c> and <c>labels=…</c> on every entry.</param>
/// <param name="Proc">The <c>/proc/net/nf_conntrack</c> layout: IPv6 fully expanded, <c>zone=N</c> always (0 too).</param>
public sealed record CaptureShape(
    string Name,
    int V6Percent = 20,
    bool Accounting = true,
    bool Zones = false,
    bool Nat = false,
    int UnrepliedPercent = 20,
    bool SecctxLabels = false,
    bool Proc = false)
{
    /// <summary>Every shape the benchmark measures; the first is the issue's realistic capture.</summary>
    public static readonly CaptureShape[] All =
    [
        new("acct-v6-20"),
        new("noacct-v6-20", Accounting: false),
        new("acct-v6-0", V6Percent: 0),
        new("acct-v6-50", V6Percent: 50),
        new("noacct-v6-0", V6Percent: 0, Accounting: false),
        new("acct-zones", Zones: true),
        new("acct-nat", Nat: true),
        new("acct-unreplied-60", UnrepliedPercent: 60),
        new("acct-secctx-labels", SecctxLabels: true),
        new("proc-acct", Proc: true),
        new("proc-acct-zones", Proc: true, Zones: true),
    ];

    public static CaptureShape Named(string name) =>
        All.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"no capture shape {name}; known: {string.Join(", ", All.Select(s => s.Name))}");

    /// <summary>Writes <paramref name="lines"/> entries of this shape (deterministic for a seed).</summary>
    public void Write(string path, int lines = CaptureGenerator.DefaultLines, int instances = CaptureGenerator.DefaultInstances)
    {
        var random = new Random(20261206);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        var line = new StringBuilder(400);
        for (int n = 0; n < lines; n++)
        {
            line.Clear();
            AppendLine(line, random, instances, out _);
            writer.WriteLine(line);
        }
    }

    /// <summary>Appends one entry of this shape (no newline); <paramref name="flow"/> is what a parser must read from it.</summary>
    public void AppendLine(StringBuilder s, Random r, int instances, out ConntrackFlow flow)
    {
        bool v6 = r.Next(100) < V6Percent;
        int touch = r.Next(100);
        IpKey instance = v6 ? CaptureGenerator.V6(r.Next(instances)) : CaptureGenerator.V4(r.Next(instances));
        IpKey remote = CaptureGenerator.Remote(r, v6);
        (IpKey src, IpKey dst) = touch switch
        {
            < 18 => (instance, remote),
            < 30 => (remote, instance),
            _ => (CaptureGenerator.Remote(r, v6), remote),
        };

        int p = r.Next(100);
        (string name, byte number) = p < 60 ? ("tcp", (byte)6) : p < 95 ? ("udp", (byte)17) : v6 ? ("icmpv6", (byte)58) : ("icmp", (byte)1);
        ushort zone = Zones ? (ushort)r.Next(1, 4001) : (ushort)0;
        flow = new ConntrackFlow(src, dst, number, zone);

        s.Append(v6 ? "ipv6     10 " : "ipv4     2 ").Append(name.PadRight(8)).Append(' ').Append(number).Append(' ');
        s.Append(number == 6 ? r.Next(431999) : r.Next(180)).Append(' ');
        bool replied = r.Next(100) >= UnrepliedPercent;
        if (number == 6)
        {
            s.Append(!replied ? "SYN_SENT " : r.Next(10) < 8 ? "ESTABLISHED " : "TIME_WAIT ");
        }

        int sport = r.Next(1024, 65536), dport = number == 17 ? 53 : 443;
        Tuple(s, r, src, dst, number, sport, dport, replied: true);
        if (!replied)
        {
            s.Append("[UNREPLIED] ");
        }

        // NAT: the reply comes from the translated peer to the translated address (a floating IP or a fixed IP).
        (IpKey replySrc, IpKey replyDst) = Nat
            ? (CaptureGenerator.Remote(r, v6), CaptureGenerator.Remote(r, v6))
            : (dst, src);
        Tuple(s, r, replySrc, replyDst, number, dport, Nat ? r.Next(1024, 65536) : sport, replied);
        if (replied)
        {
            s.Append("[ASSURED] ");
        }

        s.Append("mark=").Append(r.Next(8) == 0 ? r.Next() : 0).Append(' ');
        if (SecctxLabels)
        {
            s.Append("secctx=system_u:object_r:unlabeled_t:s0 ");
        }

        if (Proc || zone != 0)
        {
            s.Append("zone=").Append(zone).Append(' ');
        }

        if (SecctxLabels)
        {
            s.Append(r.Next(2) == 0 ? "labels=tenant-blue,lb-pool-3 " : "labels=default ");
        }

        s.Append(Proc ? "use=2" : "use=1");
    }

    private void Tuple(StringBuilder s, Random r, IpKey src, IpKey dst, byte protocol, int sport, int dport, bool replied)
    {
        s.Append("src=");
        Address(s, src);
        s.Append(" dst=");
        Address(s, dst);
        s.Append(' ');
        if (protocol is 1 or 58)
        {
            s.Append("type=").Append(protocol == 1 ? 8 : 128).Append(" code=0 id=").Append(sport).Append(' ');
        }
        else
        {
            s.Append("sport=").Append(sport).Append(" dport=").Append(dport).Append(' ');
        }

        if (Accounting)
        {
            s.Append("packets=").Append(replied ? r.Next(1, 5000) : 0).Append(" bytes=").Append(replied ? r.Next(60, 5_000_000) : 0).Append(' ');
        }
    }

    /// <summary>The tool prints IPv6 compressed (inet_ntop); /proc prints all eight groups in four hex digits.</summary>
    private void Address(StringBuilder s, IpKey address)
    {
        if (!Proc || address.IsV4)
        {
            s.Append(address.ToString());
            return;
        }

        byte[] bytes = System.Net.IPAddress.Parse(address.ToString()).GetAddressBytes();
        for (int i = 0; i < 16; i += 2)
        {
            s.Append(i == 0 ? "" : ":").Append(bytes[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture))
                .Append(bytes[i + 1].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
