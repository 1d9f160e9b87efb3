using System.Runtime.InteropServices;

namespace Oie.Libvirt.Native;

/// <summary>struct _virDomainInfo (libvirt-domain.h). <c>unsigned long</c> is CULong so the layout follows the platform's C ABI.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VirDomainInfo
{
    public byte State;
    public CULong MaxMem;
    public CULong Memory;
    public ushort NrVirtCpu;
    public ulong CpuTime;
}

/// <summary>struct _virDomainBlockStats.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VirDomainBlockStats
{
    public long RdReq;
    public long RdBytes;
    public long WrReq;
    public long WrBytes;
    public long Errs;
}

/// <summary>struct _virDomainBlockInfo: all three in bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VirDomainBlockInfo
{
    public ulong Capacity;
    public ulong Allocation;
    public ulong Physical;
}

/// <summary>struct _virDomainBlockJobInfo. <c>bandwidth</c> is an <c>unsigned long</c>: bytes/s with
/// VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES, else MiB/s.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VirDomainBlockJobInfo
{
    public int Type;
    public CULong Bandwidth;
    public ulong Cur;
    public ulong End;
}

/// <summary>struct _virDomainInterfaceStats.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VirDomainInterfaceStats
{
    public long RxBytes;
    public long RxPackets;
    public long RxErrs;
    public long RxDrop;
    public long TxBytes;
    public long TxPackets;
    public long TxErrs;
    public long TxDrop;
}

/// <summary>struct _virTypedParameter: char field[80]; int type; union value (8 bytes, 8-aligned).</summary>
[StructLayout(LayoutKind.Explicit, Size = 96)]
internal unsafe struct VirTypedParameter
{
    public const int FieldLength = 80;

    [FieldOffset(0)] public fixed byte Field[FieldLength];
    [FieldOffset(80)] public VirTypedParameterType Type;
    [FieldOffset(88)] public int Int;
    [FieldOffset(88)] public uint UInt;
    [FieldOffset(88)] public long LLong;
    [FieldOffset(88)] public ulong ULLong;
    [FieldOffset(88)] public double Double;
    [FieldOffset(88)] public byte Boolean;
    [FieldOffset(88)] public nint String;

    /// <summary>The field name as UTF-8 bytes, without its NUL terminator.</summary>
    public static ReadOnlySpan<byte> NameOf(VirTypedParameter* param)
    {
        var field = new ReadOnlySpan<byte>(param->Field, FieldLength);
        var end = field.IndexOf((byte)0);
        return end < 0 ? field : field[..end];
    }
}

internal enum VirTypedParameterType
{
    Int = 1,
    UInt = 2,
    LLong = 3,
    ULLong = 4,
    Double = 5,
    Boolean = 6,
    String = 7,
}

/// <summary>struct _virDomainStatsRecord.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct VirDomainStatsRecord
{
    public nint Dom;
    public VirTypedParameter* Params;
    public int NParams;
}

/// <summary>The leading fields of struct _virError; only read through a pointer, never allocated here.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VirError
{
    public int Code;
    public int Domain;
    public nint Message;
    public int Level;
}
