namespace Oie.Conntrack.Netlink;

/// <summary>The netlink and ctnetlink numbers this reader uses (linux/netlink.h, linux/netfilter/nfnetlink*.h).</summary>
public static class CtNetlink
{
    public const int NetlinkHeaderLength = 16;
    public const int NfGenMsgLength = 4;
    public const int AttributeHeaderLength = 4;

    public const ushort NlmFRequest = 0x1;
    public const ushort NlmFMulti = 0x2;
    public const ushort NlmFDump = 0x300;

    /// <summary>NLM_F_EXCL | NLM_F_CREATE: how an IPCTNL_MSG_CT_NEW event marks a new entry (an update has neither).</summary>
    public const ushort NlmFExcl = 0x200;
    public const ushort NlmFCreate = 0x400;

    public const ushort NlmsgNoop = 1;
    public const ushort NlmsgError = 2;
    public const ushort NlmsgDone = 3;
    public const ushort NlmsgOverrun = 4;

    /// <summary>Types below this are netlink control messages.</summary>
    public const ushort NlmsgMinType = 0x10;

    public const byte SubsysCtnetlink = 1;
    public const byte MsgCtNew = 0;
    public const byte MsgCtGet = 1;
    public const byte MsgCtDelete = 2;

    /// <summary>nfnl_msg_type(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET): the dump request, and the type the kernel
    /// gives the entries it dumps.</summary>
    public const ushort CtGet = (SubsysCtnetlink << 8) | MsgCtGet;

    public const ushort CtNew = (SubsysCtnetlink << 8) | MsgCtNew;

    /// <summary>The type of a DESTROY event (enum cntl_msg_types, IPCTNL_MSG_CT_DELETE).</summary>
    public const ushort CtDelete = (SubsysCtnetlink << 8) | MsgCtDelete;

    // enum nfnetlink_groups (linux/netfilter/nfnetlink.h): the multicast groups ctnetlink sends its events to.
    public const int GroupConntrackNew = 1;
    public const int GroupConntrackUpdate = 2;
    public const int GroupConntrackDestroy = 3;

    public const byte AfUnspec = 0;
    public const byte AfInet = 2;
    public const byte AfInet6 = 10;

    /// <summary>nla_type's high bits are flags (NLA_F_NESTED, NLA_F_NET_BYTEORDER).</summary>
    public const ushort AttributeTypeMask = 0x3FFF;
    public const ushort AttributeNested = 0x8000;

    // enum ctattr_type
    public const ushort CtaTupleOrig = 1;
    public const ushort CtaTupleReply = 2;
    public const ushort CtaStatus = 3;
    public const ushort CtaTimeout = 7;
    public const ushort CtaMark = 8;

    /// <summary>CTA_ID: a 32-bit id of the entry (a keyed hash of it on current kernels: unique while it lives,
    /// but not across every entry ever made), the same in the dump and in its events.</summary>
    public const ushort CtaId = 12;
    public const ushort CtaZone = 18;

    // enum ctattr_tuple
    public const ushort CtaTupleIp = 1;
    public const ushort CtaTupleProto = 2;
    public const ushort CtaTupleZone = 3;

    // enum ctattr_ip
    public const ushort CtaIpV4Src = 1;
    public const ushort CtaIpV4Dst = 2;
    public const ushort CtaIpV6Src = 3;
    public const ushort CtaIpV6Dst = 4;

    // enum ctattr_l4proto
    public const ushort CtaProtoNum = 1;
    public const ushort CtaProtoSrcPort = 2;
    public const ushort CtaProtoDstPort = 3;

    public static int Align(int length) => (length + 3) & ~3;
}
