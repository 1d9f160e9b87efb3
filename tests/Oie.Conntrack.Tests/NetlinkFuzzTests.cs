using System.Buffers.Binary;
using CsCheck;
using Oie.Conntrack.Netlink;
using Oie.Tests;

namespace Oie.Conntrack.Tests;

/// <summary>
/// 120,000 generated dump datagrams (1 to 4 kernel-shaped entries, sometimes with NOOP, an acknowledgement, an error,
/// DONE), most of them mutated: bit flips, netlink and attribute length fields set to edge values, attribute types
/// changed, truncation, deletion, insertion and duplication of byte ranges. Nothing but the documented
/// <see cref="ConntrackDumpException"/> may escape, the counts always add up, and an unmutated datagram always gives
/// exactly its entries.
/// </summary>
public class NetlinkFuzzTests
{
    private static readonly ushort[] EdgeLengths = [0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 19, 20, 21, 0x7FFF, 0x8000, 0xFFFF];

    [Fact]
    public void Generated_and_mutated_datagrams_never_throw_but_the_rejection_and_always_add_up() =>
        Gen.Int.SampleFixed(seed =>
        {
            var random = new Random(seed);
            var entries = new List<DumpEntry>();
            byte[] datagram = Generate(random, entries, out bool rejected);
            bool mutate = random.Next(10) != 0;
            if (mutate)
            {
                datagram = Mutate(datagram, random);
            }

            var sink = new RecordingSink();
            var parser = new ConntrackDumpParser(NetlinkDumps.Sequence);
            try
            {
                if (!parser.Parse(datagram, ref sink))
                {
                    byte[] done = new byte[20];
                    var writer = new NetlinkMessageWriter(done);
                    NetlinkDumps.WriteDone(ref writer);
                    Assert.True(parser.Parse(done, ref sink));
                }

                Assert.False(!mutate && rejected, "an unmutated datagram with an error was accepted");
            }
            catch (ConntrackDumpException)
            {
                Assert.True(mutate || rejected, "an unmutated datagram without an error was rejected");
            }

            ConntrackReadResult result = parser.Result;
            Assert.Equal(result.Lines, result.Flows + result.Malformed);
            Assert.Equal(result.Flows, sink.Flows.Count);
            if (!mutate && !rejected)
            {
                Assert.True(parser.Done);
                Assert.Equal(entries.Select(e => e.Parsed), sink.Flows);
                Assert.Equal(entries.Count, result.Lines);
            }
        }, iter: 120_000);

    private static byte[] Generate(Random random, List<DumpEntry> entries, out bool rejected)
    {
        var buffer = new byte[4096];
        var writer = new NetlinkMessageWriter(buffer);
        rejected = false;
        int count = random.Next(1, 5);
        for (int i = 0; i < count; i++)
        {
            switch (random.Next(20))
            {
                case 0:
                    writer.BeginMessage(CtNetlink.NlmsgNoop, 0, NetlinkDumps.Sequence);
                    writer.EndMessage();
                    break;
                case 1:
                    NetlinkDumps.WriteError(ref writer, 0);
                    break;
                case 2 when !rejected:
                    NetlinkDumps.WriteError(ref writer, -random.Next(1, 134));
                    rejected = true;
                    break;
                default:
                    DumpEntry entry = NetlinkDumps.RandomEntry(random);
                    if (!rejected)
                    {
                        entries.Add(entry);
                    }

                    NetlinkDumps.WriteEntry(ref writer, entry);
                    break;
            }
        }

        if (random.Next(2) == 0)
        {
            NetlinkDumps.WriteDone(ref writer);
        }

        return buffer[..writer.Length];
    }

    private static byte[] Mutate(byte[] datagram, Random random)
    {
        var bytes = new List<byte>(datagram);
        int mutations = random.Next(4) == 0 ? random.Next(2, 9) : 1;
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(9))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                case 2:
                {
                    // A length field (nlmsg_len's low half or an nla_len) set to an edge value: attributes and
                    // messages start 4-aligned, so aligned u16s are where lengths live.
                    int aligned = at & ~3;
                    ushort value = random.Next(3) == 0 ? (ushort)random.Next(65536) : EdgeLengths[random.Next(EdgeLengths.Length)];
                    if (aligned + 2 <= bytes.Count)
                    {
                        bytes[aligned] = (byte)value;
                        bytes[aligned + 1] = (byte)(value >> 8);
                    }

                    break;
                }

                case 3:
                {
                    // An attribute type: any ctnetlink number, with or without the nested flag.
                    int aligned = (at & ~3) + 2;
                    if (aligned + 2 <= bytes.Count)
                    {
                        bytes[aligned] = (byte)random.Next(25);
                        bytes[aligned + 1] = random.Next(2) == 0 ? (byte)0x80 : (byte)0;
                    }

                    break;
                }

                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 5:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 33), bytes.Count - at));
                    break;
                case 6:
                {
                    var noise = new byte[random.Next(1, 17)];
                    random.NextBytes(noise);
                    bytes.InsertRange(at, noise);
                    break;
                }

                case 7:
                {
                    int length = Math.Min(random.Next(1, 65), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                }

                default:
                {
                    // The sequence number or the message type of a message.
                    int aligned = at & ~3;
                    if (aligned + 4 <= bytes.Count)
                    {
                        uint value = random.Next(2) == 0 ? (uint)random.Next(20) : (uint)random.Next();
                        Span<byte> four = stackalloc byte[4];
                        BinaryPrimitives.WriteUInt32LittleEndian(four, value);
                        for (int i = 0; i < 4; i++)
                        {
                            bytes[aligned + i] = four[i];
                        }
                    }

                    break;
                }
            }
        }

        return [.. bytes];
    }
}
