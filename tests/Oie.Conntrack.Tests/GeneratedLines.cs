using System.Text;

namespace Oie.Conntrack.Tests;

/// <summary>Random well-formed conntrack lines of every shape, and random ways to break them.</summary>
internal static class GeneratedLines
{
    private static readonly (string Name, byte Number, string[] States)[] Protocols =
    [
        ("tcp", 6, ["ESTABLISHED", "SYN_SENT", "TIME_WAIT", "CLOSE_WAIT", "FIN_WAIT"]),
        ("udp", 17, []),
        ("udplite", 136, []),
        ("sctp", 132, ["CLOSED", "ESTABLISHED", "COOKIE_WAIT"]),
        ("dccp", 33, ["REQUEST", "OPEN"]),
        ("gre", 47, []),
        ("icmp", 1, []),
        ("unknown", 2, []),
        ("unknown", 253, []),
    ];

    /// <summary>One line of <c>-o extended</c> (form 0), plain <c>-L</c> (1) or /proc/net/nf_conntrack (2).</summary>
    public static string Line(Random r, out ConntrackFlow flow)
    {
        bool v6 = r.Next(3) == 0;
        int form = r.Next(3);
        IpKey src = Address(r, v6), dst = Address(r, v6);
        var p = Protocols[r.Next(Protocols.Length)];
        if (p.Name == "icmp" && v6)
        {
            p = ("icmpv6", 58, []);
        }

        flow = new ConntrackFlow(src, dst, p.Number);
        bool offload = r.Next(10) == 0;
        var s = new StringBuilder();
        if (form != 1)
        {
            s.Append(v6 ? "ipv6     10 " : "ipv4     2 ");
        }

        s.Append(p.Name.PadRight(8)).Append(' ').Append(p.Number).Append(' ');
        if (!offload)
        {
            s.Append(r.Next(432000)).Append(' ');
        }

        if (p.States.Length > 0)
        {
            s.Append(p.States[r.Next(p.States.Length)]).Append(' ');
        }

        if (p.Name == "gre" && form == 2)
        {
            s.Append("timeout=30, stream_timeout=180 ");
        }

        bool acct = r.Next(2) == 0;
        bool replied = r.Next(3) != 0;
        Tuple(s, r, src, dst, p.Name, form, acct);
        if (!replied)
        {
            s.Append("[UNREPLIED] ");
        }

        Tuple(s, r, dst, src, p.Name, form, acct);
        if (offload)
        {
            s.Append(r.Next(2) == 0 ? "[OFFLOAD] " : "[HW_OFFLOAD] ");
        }
        else if (replied && r.Next(2) == 0)
        {
            s.Append("[ASSURED] ");
        }

        s.Append("mark=").Append(r.Next(3) == 0 ? r.Next() : 0).Append(' ');
        if (r.Next(8) == 0)
        {
            s.Append("secctx=system_u:object_r:unlabeled_t:s0 ");
        }

        if (form == 2 || r.Next(5) == 0)
        {
            ushort zone = r.Next(3) == 0 ? (ushort)r.Next(65536) : (ushort)0;
            s.Append("zone=").Append(zone).Append(' ');
            flow = new ConntrackFlow(flow.Source, flow.Destination, flow.Protocol, zone);
        }

        if (acct && r.Next(2) == 0)
        {
            s.Append("delta-time=").Append(r.Next(100000)).Append(' ');
        }

        s.Append("use=").Append(r.Next(1, 4));
        if (form != 2 && r.Next(4) == 0)
        {
            s.Append(" id=").Append((uint)r.Next());
        }

        if (form != 2 && r.Next(6) == 0)
        {
            s.Append(" labels=blue,red");
        }

        return s.ToString();
    }

    /// <summary>Breaks a line in one of many ways; the result never contains a newline.</summary>
    public static string Mutate(string line, Random r)
    {
        var s = new StringBuilder(line);
        int mutations = r.Next(1, 4);
        for (int m = 0; m < mutations; m++)
        {
            int at = r.Next(s.Length + 1);
            switch (r.Next(7))
            {
                case 0:
                    s.Length = at; // truncated
                    break;
                case 1 when s.Length > 0:
                    s.Remove(Math.Min(at, s.Length - 1), r.Next(1, Math.Max(2, s.Length - at)));
                    break;
                case 2:
                    s.Insert(at, (char)r.Next(0x00, 0x100) is var c && c != '\n' ? c : 'x');
                    break;
                case 3 when s.Length > 0:
                    s[Math.Min(at, s.Length - 1)] = "0123456789abcdef:. =x"[r.Next(21)];
                    break;
                case 4:
                    s.Replace(r.Next(2) == 0 ? "src=" : "dst=", r.Next(2) == 0 ? "sr=" : "dst=dst=", 0, Math.Min(at, s.Length));
                    break;
                case 5:
                    s.Insert(at, " src=");
                    break;
                default:
                    s.Insert(at, r.Next(2) == 0 ? "%eth0" : ":");
                    break;
            }
        }

        return s.ToString();
    }

    /// <summary>Random bytes with no newline, as binary garbage on stdout would look.</summary>
    public static byte[] Garbage(Random r)
    {
        var bytes = new byte[r.Next(1, 300)];
        r.NextBytes(bytes);
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                bytes[i] = 0;
            }
        }

        return bytes;
    }

    /// <summary>A capture of <paramref name="lines"/> generated lines, deterministic for a seed.</summary>
    public static byte[] Capture(int lines, int seed = 1)
    {
        var r = new Random(seed);
        var s = new StringBuilder(lines * 220);
        for (int i = 0; i < lines; i++)
        {
            s.Append(Line(r, out _)).Append('\n');
        }

        return Encoding.ASCII.GetBytes(s.ToString());
    }

    private static void Tuple(StringBuilder s, Random r, IpKey src, IpKey dst, string protocol, int form, bool acct)
    {
        s.Append("src=").Append(Text(src, r, form)).Append(" dst=").Append(Text(dst, r, form)).Append(' ');
        switch (protocol)
        {
            case "icmp" or "icmpv6":
                s.Append("type=8 code=0 id=").Append(r.Next(65536)).Append(' ');
                break;
            case "gre":
                s.Append("srckey=0x0 dstkey=0x0 ");
                break;
            case "unknown":
                break;
            default:
                s.Append("sport=").Append(r.Next(65536)).Append(" dport=").Append(r.Next(65536)).Append(' ');
                break;
        }

        if (acct)
        {
            s.Append("packets=").Append(r.Next(1000)).Append(" bytes=").Append(r.Next(1_000_000)).Append(' ');
        }
    }

    private static IpKey Address(Random r, bool v6)
    {
        if (!v6)
        {
            return IpKey.FromV4((uint)r.NextInt64(0, 1L << 32));
        }

        UInt128 value = 0;
        for (int g = 0; g < 8; g++)
        {
            value = (value << 16) | (uint)(r.Next(3) == 0 ? 0 : r.Next(65536));
        }

        return IpKey.FromV6(value);
    }

    /// <summary>/proc spells IPv6 fully expanded; the tool compressed; either may be upper-cased by a wrapper.</summary>
    private static string Text(IpKey key, Random r, int form)
    {
        if (key.IsV4)
        {
            return key.ToString();
        }

        if (form == 2)
        {
            UInt128 v = key.Value;
            return string.Join(':', Enumerable.Range(0, 8).Select(g => ((ushort)(v >> (112 - (16 * g)))).ToString("x4")));
        }

        return r.Next(10) == 0 ? key.ToString().ToUpperInvariant() : key.ToString();
    }
}
