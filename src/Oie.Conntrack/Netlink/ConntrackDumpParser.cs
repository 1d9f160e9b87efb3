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
        var flows = new FlowSinkEntries<TSink>(sink);
        try
        {
            return ParseEntries(datagram, ref flows);
        }
        finally
        {
            sink = flows.Sink; // a struct sink's state goes back to the caller
        }
    }

    /// <summary>As <see cref="Parse{TSink}"/>, handing each entry message's payload to <paramref name="handler"/>
    /// unparsed (the events source keeps more of an entry than a flow).</summary>
    public bool ParseEntries<THandler>(ReadOnlySpan<byte> datagram, ref THandler handler)
        where THandler : IConntrackEntryHandler
    {
        if (Done)
        {
            throw new InvalidOperationException("the dump already ended");
        }

        if (datagram.IsEmpty)
        {
            throw new ConntrackDumpException("the kernel sent an empty netlink datagram");
        }

        var messages = new NetlinkMessageReader(datagram);
        while (messages.TryRead(out ushort type, out _, out uint messageSequence, out ReadOnlySpan<byte> payload))
        {
            if (messageSequence != sequence)
            {
                throw new ConntrackDumpException($"a netlink message of another request arrived (sequence {messageSequence}, want {sequence})");
            }

            if (OnMessage(type, payload, ref handler))
            {
                Done = true;
                return true;
            }
        }

        return false;
    }

    /// <summary>True at NLMSG_DONE.</summary>
    private bool OnMessage<THandler>(ushort type, ReadOnlySpan<byte> payload, ref THandler handler)
        where THandler : IConntrackEntryHandler
    {
        switch (type)
        {
            case CtNetlink.CtGet or CtNetlink.CtNew:
                _entries++;
                if (handler.OnEntry(payload))
                {
                    _flows++;
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

/// <summary>Parses each entry into a flow for an <see cref="IFlowSink"/>; specialised per sink, so it costs nothing
/// over calling the sink directly.</summary>
internal struct FlowSinkEntries<TSink>(TSink sink) : IConntrackEntryHandler
    where TSink : IFlowSink
{
    public TSink Sink = sink;

    public bool OnEntry(ReadOnlySpan<byte> payload)
    {
        if (!ConntrackEntryParser.TryParse(payload, out ConntrackFlow flow, out _))
        {
            return false;
        }

        Sink.OnFlow(in flow);
        return true;
    }
}

/// <summary>Takes one entry message of a dump (the payload after nlmsghdr); false when it is malformed.</summary>
public interface IConntrackEntryHandler
{
    bool OnEntry(ReadOnlySpan<byte> payload);
}
