using System.Runtime.InteropServices;

namespace Oie.Conntrack.Netlink;

/// <summary>The libc calls the netlink socket needs (glibc, as on Debian). Every one sets errno.</summary>
internal static unsafe partial class LibC
{
    private const string Lib = "libc.so.6";

    public const int AfNetlink = 16;
    public const int SockRaw = 3;
    public const int SockCloexec = 0x80000;
    public const int NetlinkNetfilter = 12;
    public const int SolSocket = 1;
    public const int SoRcvbuf = 8;
    public const int SoRcvbufforce = 33;
    public const int SolNetlink = 270;
    public const int NetlinkAddMembership = 1;
    public const int MsgTrunc = 0x20;
    public const int MsgDontwait = 0x40;
    public const short PollIn = 0x1;
    public const int ORdonly = 0;
    public const int OCloexec = 0x80000;
    public const int CloneNewnet = 0x40000000;

    public const int Eintr = 4;
    public const int Eagain = 11;
    public const int Enobufs = 105;

    [StructLayout(LayoutKind.Sequential)]
    public struct SockaddrNl
    {
        public ushort Family;
        public ushort Pad;
        public uint Pid;
        public uint Groups;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(Lib, EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Lib, EntryPoint = "bind", SetLastError = true)]
    public static partial int Bind(int fd, SockaddrNl* address, uint length);

    [LibraryImport(Lib, EntryPoint = "sendto", SetLastError = true)]
    public static partial nint SendTo(int fd, byte* buffer, nuint length, int flags, SockaddrNl* address, uint addressLength);

    [LibraryImport(Lib, EntryPoint = "recv", SetLastError = true)]
    public static partial nint Recv(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(Lib, EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSockOpt(int fd, int level, int name, int* value, uint length);

    [LibraryImport(Lib, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport(Lib, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Lib, EntryPoint = "setns", SetLastError = true)]
    public static partial int SetNs(int fd, int namespaceType);

    [LibraryImport(Lib, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
}
