using System.Buffers;
using System.Buffers.Binary;
using Oie.Conntrack.Netlink;
using Oie.Net;

namespace Oie.Conntrack.Tests;

/// <summary>One conntrack entry as the kernel dumps it (also linked into the benchmarks).</summary>
/// <param name="OriginalZone">A zone of the original direction only (CTA_TUPLE_ZONE inside the original tuple).</param>
internal readonly record struct DumpEntry(ConntrackFlow Flow, ushort SourcePort = 40000, ushort DestinationPort = 443, ushort Zone = 0, uint Mark = 0, uint Status = 0x18e,
    ushort OriginalZone = 0, uint Id = 0xC0FFEE)
{
    /// <summary>The flow the parser should make of this entry: its tuple with the entry's zone.</summary>
    public ConntrackFlow Parsed => new(Flow.Source, Flow.Destination, Flow.Protocol, Zone != 0 ? Zone : OriginalZone);
}

/// <summary>
/// Builds ctnetlink dump datagrams the way the kernel lays them out (ctnetlink_fill_info): nfgenmsg, CTA_TUPLE_ORIG and
/// CTA_TUPLE_REPLY (ip, proto with ports), CTA_ZONE when non-zero, CTA_STATUS, CTA_TIMEOUT, CTA_PROTOINFO for tcp,
/// CTA_MARK, the two counters, CTA_ID, CTA_USE — about 200 bytes an entry, packed into datagrams of at most 32 KiB.
/// </summary>
internal static class NetlinkDumps
{
    public const uint Sequence = 4242;
    public const int DatagramLength = 32 * 1024;
    private const int MaxEntryLength = 512;

    /// <summary>All the datagrams in one buffer, with where each ends; NLMSG_DONE closes the last one.</summary>
    public static (byte[] Buffer, int[] Ends) Dump(IReadOnlyList<DumpEntry> entries, uint sequence = Sequence)
    {
        var output = new ArrayBufferWriter<byte>();
        var ends = new List<int>();
        var scratch = new byte[DatagramLength];
        int next = 0;
        while (true)
        {
            var writer = new NetlinkMessageWriter(scratch);
            while (next < entries.Count && writer.Length <= DatagramLength - MaxEntryLength)
            {
                WriteEntry(ref writer, entries[next++], sequence);
            }

            bool last = next == entries.Count;
            if (last)
            {
                WriteDone(ref writer, sequence);
            }

            output.Write(writer.Written);
            ends.Add(output.WrittenCount);
            if (last)
            {
                return (output.WrittenSpan.ToArray(), [.. ends]);
            }
        }
    }

    public static List<byte[]> Datagrams(IReadOnlyList<DumpEntry> entries, uint sequence = Sequence)
    {
        (byte[] buffer, int[] ends) = Dump(entries, sequence);
        var datagrams = new List<byte[]>();
        int start = 0;
        foreach (int end in ends)
        {
            datagrams.Add(buffer[start..end]);
            start = end;
        }

        return datagrams;
    }

    /// <summary>Feeds every datagram to a fresh parser until it reports the end.</summary>
    public static ConntrackReadResult Parse<TSink>(byte[] buffer, int[] ends, TSink sink, uint sequence = Sequence)
        where TSink : IFlowSink
    {
        var parser = new ConntrackDumpParser(sequence);
        int start = 0;
        foreach (int end in ends)
        {
            if (parser.Parse(buffer.AsSpan(start, end - start), ref sink))
            {
                break;
            }

            start = end;
        }

        return parser.Result;
    }

    public static byte[] Entry(DumpEntry entry, uint sequence = Sequence)
    {
        var buffer = new byte[MaxEntryLength];
        var writer = new NetlinkMessageWriter(buffer);
        WriteEntry(ref writer, entry, sequence);
        return buffer[..writer.Length];
    }

    /// <summary>An event as ctnetlink_conntrack_event sends it: the entry's attributes, sequence 0, a NEW marked
    /// NLM_F_CREATE | NLM_F_EXCL, a DESTROY typed IPCTNL_MSG_CT_DELETE.</summary>
    public static byte[] Event(DumpEntry entry, bool destroy)
    {
        var buffer = new byte[MaxEntryLength];
        var writer = new NetlinkMessageWriter(buffer);
        WriteEntry(ref writer, entry, 0, destroy ? CtNetlink.CtDelete : CtNetlink.CtNew,
            destroy ? (ushort)0 : (ushort)(CtNetlink.NlmFCreate | CtNetlink.NlmFExcl));
        return buffer[..writer.Length];
    }

    public static void WriteEntry(ref NetlinkMessageWriter writer, DumpEntry entry, uint sequence = Sequence,
        ushort type = CtNetlink.CtGet, ushort flags = CtNetlink.NlmFMulti)
    {
        ConntrackFlow flow = entry.Flow;
        writer.BeginMessage(type, flags, sequence, 77);
        writer.NfGenMsg(flow.Source.IsV4 ? CtNetlink.AfInet : CtNetlink.AfInet6);
        WriteTuple(ref writer, CtNetlink.CtaTupleOrig, flow.Source, flow.Destination, flow.Protocol, entry.SourcePort, entry.DestinationPort, entry.OriginalZone);
        WriteTuple(ref writer, CtNetlink.CtaTupleReply, flow.Destination, flow.Source, flow.Protocol, entry.DestinationPort, entry.SourcePort);
        if (entry.Zone != 0)
        {
            writer.AttributeU16BigEndian(CtNetlink.CtaZone, entry.Zone);
        }

        writer.AttributeU32BigEndian(CtNetlink.CtaStatus, entry.Status);
        writer.AttributeU32BigEndian(CtNetlink.CtaTimeout, 431999);
        if (flow.Protocol == 6)
        {
            int protoinfo = writer.BeginNested(4);
            int tcp = writer.BeginNested(1);
            writer.AttributeU8(1, 3);
            writer.Attribute(2, [7]);
            writer.Attribute(3, [7]);
            writer.Attribute(4, [0x23, 0]);
            writer.Attribute(5, [0x23, 0]);
            writer.EndNested(tcp);
            writer.EndNested(protoinfo);
        }

        writer.AttributeU32BigEndian(CtNetlink.CtaMark, entry.Mark);
        WriteCounters(ref writer, 9);
        WriteCounters(ref writer, 10);
        writer.AttributeU32BigEndian(CtNetlink.CtaId, entry.Id);
        writer.AttributeU32BigEndian(11, 1);
        writer.EndMessage();
    }

    public static void WriteDone(ref NetlinkMessageWriter writer, uint sequence = Sequence, int status = 0)
    {
        writer.BeginMessage(CtNetlink.NlmsgDone, CtNetlink.NlmFMulti, sequence, 77);
        Span<byte> value = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(value, status);
        writer.Raw(value);
        writer.EndMessage();
    }

    /// <summary>NLMSG_ERROR: the (negative) errno and the request's header.</summary>
    public static void WriteError(ref NetlinkMessageWriter writer, int error, uint sequence = Sequence)
    {
        writer.BeginMessage(CtNetlink.NlmsgError, 0, sequence, 77);
        Span<byte> value = stackalloc byte[4 + CtNetlink.NetlinkHeaderLength];
        value.Clear();
        BinaryPrimitives.WriteInt32LittleEndian(value, error);
        writer.Raw(value);
        writer.EndMessage();
    }

    private static void WriteTuple(ref NetlinkMessageWriter writer, ushort type, IpKey source, IpKey destination, byte protocol, ushort sourcePort, ushort destinationPort,
        ushort zone = 0)
    {
        int tuple = writer.BeginNested(type);
        int ip = writer.BeginNested(CtNetlink.CtaTupleIp);
        WriteAddress(ref writer, source.IsV4 ? CtNetlink.CtaIpV4Src : CtNetlink.CtaIpV6Src, source);
        WriteAddress(ref writer, source.IsV4 ? CtNetlink.CtaIpV4Dst : CtNetlink.CtaIpV6Dst, destination);
        writer.EndNested(ip);
        int proto = writer.BeginNested(CtNetlink.CtaTupleProto);
        writer.AttributeU8(CtNetlink.CtaProtoNum, protocol);
        writer.AttributeU16BigEndian(CtNetlink.CtaProtoSrcPort, sourcePort);
        writer.AttributeU16BigEndian(CtNetlink.CtaProtoDstPort, destinationPort);
        writer.EndNested(proto);
        if (zone != 0)
        {
            writer.AttributeU16BigEndian(CtNetlink.CtaTupleZone, zone);
        }

        writer.EndNested(tuple);
    }

    private static void WriteAddress(ref NetlinkMessageWriter writer, ushort type, IpKey address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (address.IsV4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, address.V4Value);
            writer.Attribute(type, bytes[..4]);
        }
        else
        {
            BinaryPrimitives.WriteUInt128BigEndian(bytes, address.Value);
            writer.Attribute(type, bytes);
        }
    }

    private static void WriteCounters(ref NetlinkMessageWriter writer, ushort type)
    {
        int counters = writer.BeginNested(type);
        Span<byte> value = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(value, 12345);
        writer.Attribute(1, value);
        BinaryPrimitives.WriteUInt64BigEndian(value, 6789012);
        writer.Attribute(2, value);
        writer.EndNested(counters);
    }

    /// <summary>Random entries: 75 % IPv4, tcp/udp/icmp(v6)/sctp, random ports, zones and marks.</summary>
    public static List<DumpEntry> Random(int count, int seed)
    {
        var random = new Random(seed);
        var entries = new List<DumpEntry>(count);
        for (int i = 0; i < count; i++)
        {
            entries.Add(RandomEntry(random));
        }

        return entries;
    }

    public static DumpEntry RandomEntry(Random random)
    {
        bool v6 = random.Next(4) == 0;
        IpKey Address() => v6
            ? IpKey.FromV6((ulong)random.NextInt64(), (ulong)random.NextInt64())
            : IpKey.FromV4((uint)random.NextInt64(1, uint.MaxValue));
        byte protocol = random.Next(10) switch
        {
            < 5 => 6,
            < 8 => 17,
            8 => v6 ? (byte)58 : (byte)1,
            _ => 132,
        };
        return new DumpEntry(
            new ConntrackFlow(Address(), Address(), protocol),
            (ushort)random.Next(65536),
            (ushort)random.Next(65536),
            random.Next(8) == 0 ? (ushort)random.Next(1, 65536) : (ushort)0,
            random.Next(4) == 0 ? (uint)random.Next() : 0,
            (uint)random.Next());
    }
}
