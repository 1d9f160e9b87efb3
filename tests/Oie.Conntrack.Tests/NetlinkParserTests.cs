using System.Buffers.Binary;
using Oie.Conntrack.Netlink;

namespace Oie.Conntrack.Tests;

/// <summary>The ctnetlink dump parser on hand-built messages laid out as the kernel lays them out.</summary>
public class NetlinkParserTests
{
    private static readonly ConntrackFlow V4 = new(IpKey.Parse("10.0.0.5"), IpKey.Parse("192.0.2.1"), 6);
    private static readonly ConntrackFlow V6 = new(IpKey.Parse("fd00::5"), IpKey.Parse("2001:db8::1"), 17);

    private static (ConntrackReadResult Result, List<ConntrackFlow> Flows, bool Done) ParseAll(params byte[][] datagrams)
    {
        var sink = new RecordingSink();
        var parser = new ConntrackDumpParser(NetlinkDumps.Sequence);
        bool done = false;
        foreach (byte[] datagram in datagrams)
        {
            done = parser.Parse(datagram, ref sink);
            if (done)
            {
                break;
            }
        }

        return (parser.Result, sink.Flows, done);
    }

    private static byte[] Build(WriteMessages write)
    {
        var buffer = new byte[8192];
        var writer = new NetlinkMessageWriter(buffer);
        write(ref writer);
        return buffer[..writer.Length];
    }

    private delegate void WriteMessages(ref NetlinkMessageWriter writer);

    private static byte[] Done() => Build((ref NetlinkMessageWriter w) => NetlinkDumps.WriteDone(ref w));

    [Fact]
    public void An_IPv4_entry_gives_its_original_tuple_zone_mark_and_status()
    {
        byte[] message = NetlinkDumps.Entry(new DumpEntry(V4, Zone: 7, Mark: 0xDEADBEEF, Status: 0x18e));
        Assert.True(ConntrackEntryParser.TryParse(message.AsSpan(CtNetlink.NetlinkHeaderLength), out ConntrackFlow flow, out ConntrackEntryDetails details));
        Assert.Equal(new ConntrackFlow(V4.Source, V4.Destination, V4.Protocol, zone: 7), flow); // the original tuple, not the reply tuple written right after it
        Assert.Equal(new ConntrackEntryDetails(0x18e, 0xDEADBEEF, 7, Id: 0xC0FFEE), details);
    }

    [Fact]
    public void A_zone_of_the_original_direction_only_is_the_flows_zone()
    {
        byte[] message = NetlinkDumps.Entry(new DumpEntry(V4, OriginalZone: 4097));
        Assert.True(ConntrackEntryParser.TryParse(message.AsSpan(CtNetlink.NetlinkHeaderLength), out ConntrackFlow flow, out _));
        Assert.Equal(4097, flow.Zone);
    }

    [Fact]
    public void An_IPv6_entry_gives_its_original_tuple()
    {
        byte[] message = NetlinkDumps.Entry(new DumpEntry(V6));
        Assert.True(ConntrackEntryParser.TryParse(message.AsSpan(CtNetlink.NetlinkHeaderLength), out ConntrackFlow flow, out ConntrackEntryDetails details));
        Assert.Equal(V6, flow);
        Assert.Equal("fd00::5", flow.Source.ToString());
        Assert.Equal(0, details.Zone);
    }

    [Fact]
    public void A_dump_in_several_datagrams_gives_every_entry_in_order_until_done()
    {
        List<DumpEntry> entries = NetlinkDumps.Random(1_000, seed: 1);
        List<byte[]> datagrams = NetlinkDumps.Datagrams(entries);
        Assert.True(datagrams.Count > 3);

        var (result, flows, done) = ParseAll([.. datagrams]);

        Assert.True(done);
        Assert.Equal(new ConntrackReadResult(1_000, 1_000, 0), result);
        Assert.Equal(entries.Select(e => e.Parsed), flows);
    }

    [Fact]
    public void Nothing_after_done_is_read_and_a_datagram_without_done_leaves_the_dump_open()
    {
        byte[] first = Build((ref NetlinkMessageWriter w) => NetlinkDumps.WriteEntry(ref w, new DumpEntry(V4)));
        byte[] last = Build((ref NetlinkMessageWriter w) =>
        {
            NetlinkDumps.WriteEntry(ref w, new DumpEntry(V6));
            NetlinkDumps.WriteDone(ref w);
            NetlinkDumps.WriteEntry(ref w, new DumpEntry(V4));
        });
        var sink = new RecordingSink();
        var parser = new ConntrackDumpParser(NetlinkDumps.Sequence);
        Assert.False(parser.Parse(first, ref sink));
        Assert.False(parser.Done);
        Assert.True(parser.Parse(last, ref sink));
        Assert.Equal([V4, V6], sink.Flows);
        Assert.Throws<InvalidOperationException>(() => parser.Parse(first, ref sink));
    }

    [Fact]
    public void An_empty_table_is_just_done()
    {
        var (result, flows, done) = ParseAll(Done());
        Assert.True(done);
        Assert.Equal(default, result);
        Assert.Empty(flows);
    }

    [Theory]
    [InlineData(-1, "Operation not permitted")]
    [InlineData(-105, "No buffer space available")]
    public void An_error_message_rejects_the_dump_with_the_kernels_reason(int errno, string reason)
    {
        byte[] datagram = Build((ref NetlinkMessageWriter w) =>
        {
            NetlinkDumps.WriteEntry(ref w, new DumpEntry(V4));
            NetlinkDumps.WriteError(ref w, errno);
        });
        var error = Assert.Throws<ConntrackDumpException>(() => ParseAll(datagram));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_acknowledgement_is_not_an_error()
    {
        byte[] datagram = Build((ref NetlinkMessageWriter w) =>
        {
            NetlinkDumps.WriteError(ref w, 0);
            NetlinkDumps.WriteEntry(ref w, new DumpEntry(V4));
            NetlinkDumps.WriteDone(ref w);
        });
        Assert.Equal(new ConntrackReadResult(1, 1, 0), ParseAll(datagram).Result);
    }

    [Fact]
    public void Done_with_an_error_overrun_and_a_short_error_reject_the_dump()
    {
        Assert.Throws<ConntrackDumpException>(() => ParseAll(Build((ref NetlinkMessageWriter w) => NetlinkDumps.WriteDone(ref w, status: -4))));
        Assert.Throws<ConntrackDumpException>(() => ParseAll(Build((ref NetlinkMessageWriter w) =>
        {
            w.BeginMessage(CtNetlink.NlmsgOverrun, 0, NetlinkDumps.Sequence);
            w.EndMessage();
        })));
        var shortError = Assert.Throws<ConntrackDumpException>(() => ParseAll(Build((ref NetlinkMessageWriter w) =>
        {
            w.BeginMessage(CtNetlink.NlmsgError, 0, NetlinkDumps.Sequence);
            w.EndMessage();
        })));
        Assert.Contains("truncated", shortError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Noop_messages_are_skipped()
    {
        byte[] datagram = Build((ref NetlinkMessageWriter w) =>
        {
            w.BeginMessage(CtNetlink.NlmsgNoop, 0, NetlinkDumps.Sequence);
            w.EndMessage();
            NetlinkDumps.WriteEntry(ref w, new DumpEntry(V6));
            NetlinkDumps.WriteDone(ref w);
        });
        Assert.Equal([V6], ParseAll(datagram).Flows);
    }

    [Theory]
    [InlineData(1)]   // the datagram ends inside the last message
    [InlineData(40)]
    [InlineData(199)]
    public void A_message_cut_short_rejects_the_dump(int cut)
    {
        byte[] datagram = Build((ref NetlinkMessageWriter w) =>
        {
            NetlinkDumps.WriteEntry(ref w, new DumpEntry(V4));
            NetlinkDumps.WriteEntry(ref w, new DumpEntry(V6));
        });
        var error = Assert.Throws<ConntrackDumpException>(() => ParseAll(datagram[..^cut]));
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(15u)]
    [InlineData(100_000u)]
    public void A_message_length_smaller_than_its_header_or_past_the_datagram_rejects_the_dump(uint length)
    {
        byte[] datagram = NetlinkDumps.Entry(new DumpEntry(V4));
        BinaryPrimitives.WriteUInt32LittleEndian(datagram, length);
        Assert.Throws<ConntrackDumpException>(() => ParseAll(datagram));
    }

    [Fact]
    public void A_message_of_another_request_or_an_empty_datagram_rejects_the_dump()
    {
        var error = Assert.Throws<ConntrackDumpException>(() => ParseAll(NetlinkDumps.Entry(new DumpEntry(V4), sequence: 9)));
        Assert.Contains("sequence 9", error.Message, StringComparison.Ordinal);
        Assert.Throws<ConntrackDumpException>(() => ParseAll(Array.Empty<byte>()));
    }

    /// <summary>Broken attributes inside a well-framed message make that entry malformed, counted and skipped; the
    /// entries around it still count.</summary>
    [Theory]
    [InlineData("overlong top-level attribute")]
    [InlineData("attribute shorter than its header")]
    [InlineData("overlong nested attribute")]
    [InlineData("IPv4 address of 16 bytes")]
    [InlineData("IPv6 message with IPv4 addresses")]
    [InlineData("no protocol")]
    [InlineData("no original tuple")]
    [InlineData("mixed families")]
    [InlineData("protocol of 2 bytes")]
    [InlineData("payload shorter than nfgenmsg")]
    public void A_malformed_entry_is_counted_and_skipped(string damage)
    {
        byte[] bad = Build((ref NetlinkMessageWriter w) => WriteDamaged(ref w, damage));
        byte[] datagram = [.. NetlinkDumps.Entry(new DumpEntry(V4)), .. bad, .. NetlinkDumps.Entry(new DumpEntry(V6)), .. Done()];

        var (result, flows, done) = ParseAll(datagram);

        Assert.True(done);
        Assert.Equal(new ConntrackReadResult(3, 2, 1), result);
        Assert.Equal([V4, V6], flows);
    }

    private static void WriteDamaged(ref NetlinkMessageWriter w, string damage)
    {
        w.BeginMessage(CtNetlink.CtGet, CtNetlink.NlmFMulti, NetlinkDumps.Sequence);
        if (damage == "payload shorter than nfgenmsg")
        {
            w.Raw([2, 0]);
            w.EndMessage();
            return;
        }

        bool v6Message = damage == "IPv6 message with IPv4 addresses";
        w.NfGenMsg(v6Message ? CtNetlink.AfInet6 : CtNetlink.AfInet);
        switch (damage)
        {
            case "overlong top-level attribute":
                w.Raw([200, 0, 3, 0, 0, 0, 0, 1]); // CTA_STATUS claiming 200 bytes
                break;
            case "attribute shorter than its header":
                w.Raw([2, 0, 1, 0]);
                break;
            case "no original tuple":
                w.AttributeU32BigEndian(CtNetlink.CtaStatus, 1);
                break;
            default:
                int tuple = w.BeginNested(CtNetlink.CtaTupleOrig);
                int ip = w.BeginNested(CtNetlink.CtaTupleIp);
                if (damage == "overlong nested attribute")
                {
                    w.Raw([40, 0, 1, 0, 10, 0, 0, 1]);
                }
                else if (damage == "IPv4 address of 16 bytes")
                {
                    w.Attribute(CtNetlink.CtaIpV4Src, new byte[16]);
                    w.Attribute(CtNetlink.CtaIpV4Dst, [10, 0, 0, 1]);
                }
                else if (damage == "mixed families")
                {
                    w.Attribute(CtNetlink.CtaIpV4Src, [10, 0, 0, 1]);
                    w.Attribute(CtNetlink.CtaIpV6Dst, new byte[16]);
                }
                else
                {
                    w.Attribute(CtNetlink.CtaIpV4Src, [10, 0, 0, 1]);
                    w.Attribute(CtNetlink.CtaIpV4Dst, [10, 0, 0, 2]);
                }

                w.EndNested(ip);
                if (damage != "no protocol")
                {
                    int proto = w.BeginNested(CtNetlink.CtaTupleProto);
                    w.Attribute(CtNetlink.CtaProtoNum, damage == "protocol of 2 bytes" ? [6, 0] : [6]);
                    w.EndNested(proto);
                }

                w.EndNested(tuple);
                break;
        }

        w.EndMessage();
    }

    [Fact]
    public void Unknown_attributes_and_flag_bits_in_attribute_types_are_tolerated()
    {
        byte[] message = Build((ref NetlinkMessageWriter w) =>
        {
            w.BeginMessage(CtNetlink.CtGet, CtNetlink.NlmFMulti, NetlinkDumps.Sequence);
            w.NfGenMsg(CtNetlink.AfInet);
            w.Attribute(0x3000, [1, 2, 3]); // unknown, odd length: padded
            int tuple = w.BeginNested(CtNetlink.CtaTupleOrig);
            int ip = w.BeginNested(CtNetlink.CtaTupleIp);
            w.Attribute(CtNetlink.CtaIpV4Src | 0x4000, [10, 0, 0, 5]); // NLA_F_NET_BYTEORDER
            w.Attribute(CtNetlink.CtaIpV4Dst, [192, 0, 2, 1]);
            w.EndNested(ip);
            int proto = w.BeginNested(CtNetlink.CtaTupleProto);
            w.AttributeU8(CtNetlink.CtaProtoNum, 6);
            w.EndNested(proto);
            w.EndNested(tuple);
            w.EndMessage();
            NetlinkDumps.WriteDone(ref w);
        });
        Assert.Equal([V4], ParseAll(message).Flows);
    }

    [Fact]
    public void The_request_asks_for_a_dump_of_both_families()
    {
        Span<byte> request = stackalloc byte[20];
        Assert.Equal(20, ConntrackDump.WriteRequest(request, 7));
        Assert.Equal(
            [20, 0, 0, 0, 0x01, 0x01, 0x01, 0x03, 7, 0, 0, 0, 0, 0, 0, 0, 0 /* AF_UNSPEC */, 0, 0, 0],
            request.ToArray());
    }
}
