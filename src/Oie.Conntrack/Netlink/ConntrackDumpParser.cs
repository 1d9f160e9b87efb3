using System.Buffers.Binary;

namespace Oie.Conntrack.Netlink;

/// <summary>
/// Reads the datagrams of one ctnetlink dump, in order, into an <see cref="IFlowSink"/>: one
/// <see cref="IFlowSink.OnFlow"/> per well-formed entry, malformed entries counted and skipped (as malformed text lines
/// are), until NLMSG_DONE. Rejects the whole dump, with <see cref="ConntrackDumpException"/>, on what means the table is
/// not all there: an NLMSG_ERROR, NLMSG_OVERRUN or negative NLMSG_DONE, a message cut short or running past its
/// datagram, and a message of another request (sequence number). Allocates nothing.
/// </summary>
public struct ConntrackDumpParser(uint sequence)
{
    private long _entries;
    private long _flows;
    private long _malformed;

    /// <summary>NLMSG_DONE was seen: the dump is complete.</summary>
    public bool Done { get; private set; }

    /// <summary>Entries (<see cref="ConntrackReadResult.Lines"/>), flows and malformed entries so far.</summary>
    public readonly ConntrackReadResult Result => new(_entries, _flows, _malformed);

    /// <summary>Parses one datagram; returns true when it ended the dump (anything after NLMSG_DONE is ignored).</summary>
    public bool Parse<TSink>(ReadOnlySpan<byte> datagram, ref TSink sink)
        where TSink : IFlowSink
    {
        if (Done)
        {
            throw new InvalidOperationException("the dump already ended");
        }

        if (datagram.IsEmpty)
        {
            throw new ConntrackDumpException("the kernel sent an empty netlink datagram");
        }

        while (!datagram.IsEmpty)
        {
            if (datagram.Length < CtNetlink.NetlinkHeaderLength)
            {
                throw Truncated($"{datagram.Length} bytes left, less than a netlink header");
            }

            uint length = BinaryPrimitives.ReadUInt32LittleEndian(datagram);
            if (length < CtNetlink.NetlinkHeaderLength || length > (uint)datagram.Length)
            {
                throw Truncated($"a message claims {length} bytes with {datagram.Length} left in its datagram");
            }

            ushort type = BinaryPrimitives.ReadUInt16LittleEndian(datagram[4..]);
            uint messageSequence = BinaryPrimitives.ReadUInt32LittleEndian(datagram[8..]);
            if (messageSequence != sequence)
            {
                throw new ConntrackDumpException($"a netlink message of another request arrived (sequence {messageSequence}, want {sequence})");
            }

            ReadOnlySpan<byte> payload = datagram[CtNetlink.NetlinkHeaderLength..(int)length];
            if (OnMessage(type, payload, ref sink))
            {
                Done = true;
                return true;
            }

            int next = CtNetlink.Align((int)length);
            datagram = next >= datagram.Length ? default : datagram[next..];
        }

        return false;
    }

    /// <summary>True at NLMSG_DONE.</summary>
    private bool OnMessage<TSink>(ushort type, ReadOnlySpan<byte> payload, ref TSink sink)
        where TSink : IFlowSink
    {
        switch (type)
        {
            case CtNetlink.CtGet or CtNetlink.CtNew:
                _entries++;
                if (ConntrackEntryParser.TryParse(payload, out ConntrackFlow flow, out _))
                {
                    _flows++;
                    sink.OnFlow(in flow);
                }
                else
                {
                    _malformed++;
                }

                return false;
            case CtNetlink.NlmsgDone:
                int status = payload.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(payload) : 0;
                return status >= 0 ? true : throw new ConntrackDumpException($"the conntrack dump ended in an error: {LibC.Describe(-status)}");
            case CtNetlink.NlmsgError:
                if (payload.Length < 4)
                {
                    throw Truncated("an NLMSG_ERROR without its error code");
                }

                int error = BinaryPrimitives.ReadInt32LittleEndian(payload);
                // 0 is an acknowledgement, not an error; the dump goes on to its NLMSG_DONE.
                return error == 0 ? false : throw new ConntrackDumpException($"the kernel refused the conntrack dump: {LibC.Describe(-error)}");
            case CtNetlink.NlmsgOverrun:
                throw new ConntrackDumpException("the kernel reported an overrun (NLMSG_OVERRUN): messages were lost");
            case < CtNetlink.NlmsgMinType:
                return false; // NLMSG_NOOP and control messages this kernel may add: nothing to read
            default:
                _entries++;
                _malformed++; // a message of another subsystem or kind where entries belong
                return false;
        }
    }

    private static ConntrackDumpException Truncated(string what) => new($"truncated netlink message: {what}");
}
