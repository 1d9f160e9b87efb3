using System.Buffers.Binary;
using Oie.Net;

namespace Oie.Conntrack.Netlink;

/// <summary>What an entry carries besides its original tuple. Zone 0 and mark 0 when the kernel left them out.</summary>
/// <param name="Status">CTA_STATUS: the IPS_* bits (ASSURED, SEEN_REPLY, OFFLOAD, ...).</param>
/// <param name="Mark">CTA_MARK.</param>
/// <param name="Zone">CTA_ZONE, the entry's conntrack zone.</param>
/// <param name="Id">CTA_ID, 0 when absent: what the events source tells entries apart by, with the tuple.</param>
public readonly record struct ConntrackEntryDetails(uint Status, uint Mark, ushort Zone, uint Id = 0);

/// <summary>
/// Reads one ctnetlink entry (the payload after <c>nlmsghdr</c>: <c>nfgenmsg</c>, then attributes) into the same
/// <see cref="ConntrackFlow"/> the text parser makes: CTA_TUPLE_ORIG → CTA_TUPLE_IP (source, destination),
/// CTA_TUPLE_PROTO (protocol number) and CTA_TUPLE_ZONE (a zone of the original direction only), and CTA_ZONE (a zone
/// of both directions). The reply tuple, counters and the rest are skipped by length, never read.
/// </summary>
public static class ConntrackEntryParser
{
    /// <summary>False when the entry is malformed: broken attribute lengths, no original tuple, a missing or
    /// wrong-sized address or protocol, source and destination of different families, or a family other than the
    /// message's.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out ConntrackFlow flow, out ConntrackEntryDetails details) =>
        TryParse(payload, out flow, out details, out _);

    /// <param name="originalTuple">The CTA_TUPLE_ORIG attribute's payload as the kernel wrote it (ports, ICMP id and
    /// the original zone included): the same bytes in a dump and in every event of the entry.</param>
    public static bool TryParse(ReadOnlySpan<byte> payload, out ConntrackFlow flow, out ConntrackEntryDetails details,
        out ReadOnlySpan<byte> originalTuple)
    {
        flow = default;
        originalTuple = default;
        details = default;
        if (payload.Length < CtNetlink.NfGenMsgLength)
        {
            return false;
        }

        byte family = payload[0];
        bool haveTuple = false;
        uint status = 0, mark = 0, id = 0;
        ushort zone = 0, originalZone = 0;
        var attributes = new NetlinkAttributeReader(payload[CtNetlink.NfGenMsgLength..]);
        while (attributes.TryRead(out ushort type, out ReadOnlySpan<byte> value))
        {
            switch (type)
            {
                case CtNetlink.CtaTupleOrig:
                    if (!TryParseTuple(value, out flow, out originalZone))
                    {
                        return false;
                    }

                    haveTuple = true;
                    originalTuple = value;
                    break;
                case CtNetlink.CtaStatus when value.Length == 4:
                    status = BinaryPrimitives.ReadUInt32BigEndian(value);
                    break;
                case CtNetlink.CtaMark when value.Length == 4:
                    mark = BinaryPrimitives.ReadUInt32BigEndian(value);
                    break;
                case CtNetlink.CtaId when value.Length == 4:
                    id = BinaryPrimitives.ReadUInt32BigEndian(value);
                    break;
                case CtNetlink.CtaZone when value.Length == 2:
                    zone = BinaryPrimitives.ReadUInt16BigEndian(value);
                    break;
            }
        }

        IpFamily expected = family switch
        {
            CtNetlink.AfInet => IpFamily.V4,
            CtNetlink.AfInet6 => IpFamily.V6,
            _ => 0,
        };
        if (attributes.Malformed || !haveTuple || flow.Source.Family != expected)
        {
            flow = default;
            originalTuple = default;
            return false;
        }

        if (zone == 0)
        {
            zone = originalZone;
        }

        flow = new ConntrackFlow(flow.Source, flow.Destination, flow.Protocol, zone);
        details = new ConntrackEntryDetails(status, mark, zone, id);
        return true;
    }

    private static bool TryParseTuple(ReadOnlySpan<byte> tuple, out ConntrackFlow flow, out ushort zone)
    {
        flow = default;
        zone = 0;
        IpKey source = default, destination = default;
        int protocol = -1;
        var attributes = new NetlinkAttributeReader(tuple);
        while (attributes.TryRead(out ushort type, out ReadOnlySpan<byte> value))
        {
            if (type == CtNetlink.CtaTupleIp)
            {
                if (!TryParseAddresses(value, ref source, ref destination))
                {
                    return false;
                }
            }
            else if (type == CtNetlink.CtaTupleZone)
            {
                if (value.Length != 2)
                {
                    return false;
                }

                zone = BinaryPrimitives.ReadUInt16BigEndian(value);
            }
            else if (type == CtNetlink.CtaTupleProto)
            {
                var proto = new NetlinkAttributeReader(value);
                while (proto.TryRead(out ushort protoType, out ReadOnlySpan<byte> protoValue))
                {
                    if (protoType == CtNetlink.CtaProtoNum)
                    {
                        if (protoValue.Length != 1)
                        {
                            return false;
                        }

                        protocol = protoValue[0];
                    }
                }

                if (proto.Malformed)
                {
                    return false;
                }
            }
        }

        if (attributes.Malformed || protocol < 0 || source.IsDefault || destination.IsDefault || source.Family != destination.Family)
        {
            return false;
        }

        flow = new ConntrackFlow(source, destination, (byte)protocol);
        return true;
    }

    private static bool TryParseAddresses(ReadOnlySpan<byte> ip, ref IpKey source, ref IpKey destination)
    {
        var attributes = new NetlinkAttributeReader(ip);
        while (attributes.TryRead(out ushort type, out ReadOnlySpan<byte> value))
        {
            switch (type)
            {
                case CtNetlink.CtaIpV4Src or CtNetlink.CtaIpV4Dst:
                    if (value.Length != 4)
                    {
                        return false;
                    }

                    (type == CtNetlink.CtaIpV4Src ? ref source : ref destination) = IpKey.FromV4(BinaryPrimitives.ReadUInt32BigEndian(value));
                    break;
                case CtNetlink.CtaIpV6Src or CtNetlink.CtaIpV6Dst:
                    if (value.Length != 16)
                    {
                        return false;
                    }

                    (type == CtNetlink.CtaIpV6Src ? ref source : ref destination) =
                        IpKey.FromV6(BinaryPrimitives.ReadUInt64BigEndian(value), BinaryPrimitives.ReadUInt64BigEndian(value[8..]));
                    break;
            }
        }

        return !attributes.Malformed;
    }
}
