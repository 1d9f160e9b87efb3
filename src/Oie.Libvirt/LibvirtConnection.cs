using System.Runtime.InteropServices;
using System.Text;
using Oie.Abstractions;
using Oie.Libvirt.Native;

namespace Oie.Libvirt;

/// <summary>A read-only libvirt connection with managed wrappers over the native calls; failures throw <see cref="LibvirtException"/>.</summary>
internal sealed unsafe partial class LibvirtConnection : IDisposable
{
    private readonly ConnectHandle _handle;

    private LibvirtConnection(ConnectHandle handle) => _handle = handle;

    public static LibvirtConnection OpenReadOnly(string uri)
    {
        LibvirtNative.EnsureInitialized();
        var handle = LibvirtNative.virConnectOpenReadOnly(uri);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw LibvirtNative.LastError($"virConnectOpenReadOnly({uri})");
        }
        return new LibvirtConnection(handle);
    }

    public bool IsAlive()
    {
        var alive = LibvirtNative.virConnectIsAlive(_handle);
        if (alive < 0)
            LibvirtNative.virResetLastError();
        return alive == 1;
    }

    /// <summary>The active domains; the caller disposes each handle.</summary>
    public DomainHandle[] ListActiveDomains()
    {
        nint* list = null;
        var count = LibvirtNative.virConnectListAllDomains(_handle, &list, LibvirtNative.ConnectListDomainsActive);
        if (count < 0)
            throw LibvirtNative.LastError("virConnectListAllDomains");
        try
        {
            var domains = new DomainHandle[count];
            for (var i = 0; i < count; i++)
                domains[i] = new DomainHandle(list[i]);
            return domains;
        }
        finally
        {
            NativeMemory.Free(list);
        }
    }

    public static string GetUuid(DomainHandle domain)
    {
        var buf = stackalloc byte[LibvirtNative.UuidStringBufLen];
        if (LibvirtNative.virDomainGetUUIDString(domain, buf) < 0)
            throw LibvirtNative.LastError("virDomainGetUUIDString");
        return Encoding.ASCII.GetString(buf, LibvirtNative.UuidStringBufLen - 1).ToLowerInvariant();
    }

    private static string GetUuidBorrowed(nint domain)
    {
        var buf = stackalloc byte[LibvirtNative.UuidStringBufLen];
        if (LibvirtNative.virDomainGetUUIDStringBorrowed(domain, buf) < 0)
            throw LibvirtNative.LastError("virDomainGetUUIDString");
        return Encoding.ASCII.GetString(buf, LibvirtNative.UuidStringBufLen - 1).ToLowerInvariant();
    }

    public static string GetName(DomainHandle domain) =>
        LibvirtNative.Utf8(LibvirtNative.virDomainGetName(domain)) ?? throw LibvirtNative.LastError("virDomainGetName");

    /// <summary>The hypervisor's ID of a running domain; it changes when the guest is restarted.</summary>
    public static uint GetId(DomainHandle domain) => LibvirtNative.virDomainGetID(domain);

    public static string GetXmlDesc(DomainHandle domain)
    {
        var xml = LibvirtNative.virDomainGetXMLDesc(domain, 0);
        if (xml == 0)
            throw LibvirtNative.LastError("virDomainGetXMLDesc");
        try
        {
            return LibvirtNative.Utf8(xml)!;
        }
        finally
        {
            NativeMemory.Free((void*)xml);
        }
    }

    /// <summary>The domain info; memory and maximum memory are in KiB, as libvirt gives them.</summary>
    public static (DomainRunState State, int Vcpus, long CpuTimeNs, long MemoryKiB, long MaxMemKiB) GetInfo(DomainHandle domain)
    {
        VirDomainInfo info;
        if (LibvirtNative.virDomainGetInfo(domain, &info) < 0)
            throw LibvirtNative.LastError("virDomainGetInfo");
        return (ToRunState(info.State), info.NrVirtCpu, (long)info.CpuTime, (long)info.Memory.Value, (long)info.MaxMem.Value);
    }

    /// <summary>virDomainGetBlockInfo: capacity, allocation and physical size in bytes.</summary>
    public static DiskCapacity GetBlockInfo(DomainHandle domain, string target)
    {
        VirDomainBlockInfo info;
        if (LibvirtNative.virDomainGetBlockInfo(domain, target, &info, 0) < 0)
            throw LibvirtNative.LastError($"virDomainGetBlockInfo({target})");
        return new DiskCapacity(Bytes(info.Capacity), Bytes(info.Allocation), Bytes(info.Physical));
    }

    /// <summary>An unsigned 64-bit byte count; null when it does not fit a long (not a size anyone has).</summary>
    private static long? Bytes(ulong value) => value <= long.MaxValue ? (long)value : null;

    /// <summary>Total CPU time (ns) from virDomainGetCPUStats(start_cpu=-1, ncpus=1).</summary>
    public static long GetCpuTotalTime(DomainHandle domain)
    {
        var n = LibvirtNative.virDomainGetCPUStats(domain, null, 0, -1, 1, 0);
        if (n < 0)
            throw LibvirtNative.LastError("virDomainGetCPUStats");
        var parameters = stackalloc VirTypedParameter[Math.Max(n, 1)];
        var got = LibvirtNative.virDomainGetCPUStats(domain, parameters, (uint)n, -1, 1, 0);
        if (got < 0)
            throw LibvirtNative.LastError("virDomainGetCPUStats");
        try
        {
            for (var i = 0; i < got; i++)
            {
                if (VirTypedParameter.NameOf(&parameters[i]).SequenceEqual("cpu_time"u8) && TryNumber(&parameters[i], out var ns))
                    return ns;
            }
            throw new LibvirtException(0, "virDomainGetCPUStats: no cpu_time in the result");
        }
        finally
        {
            LibvirtNative.virTypedParamsClear(parameters, got);
        }
    }

    public static BlockCounters GetBlockStats(DomainHandle domain, string target)
    {
        VirDomainBlockStats s;
        if (LibvirtNative.virDomainBlockStats(domain, target, &s, (nuint)sizeof(VirDomainBlockStats)) < 0)
            throw LibvirtNative.LastError($"virDomainBlockStats({target})");
        return new BlockCounters(s.RdReq, s.RdBytes, s.WrReq, s.WrBytes);
    }

    public static InterfaceCounters GetInterfaceStats(DomainHandle domain, string target)
    {
        VirDomainInterfaceStats s;
        if (LibvirtNative.virDomainInterfaceStats(domain, target, &s, (nuint)sizeof(VirDomainInterfaceStats)) < 0)
            throw LibvirtNative.LastError($"virDomainInterfaceStats({target})");
        return new InterfaceCounters(s.RxBytes, s.RxPackets, s.RxErrs, s.RxDrop, s.TxBytes, s.TxPackets, s.TxErrs, s.TxDrop);
    }

    /// <summary>One virConnectGetAllDomainStats call, keyed by lower-case domain UUID.</summary>
    public Dictionary<string, BulkDomainStats> GetAllDomainStats(uint stats, uint flags)
    {
        VirDomainStatsRecord** records = null;
        var count = LibvirtNative.virConnectGetAllDomainStats(_handle, stats, &records, flags);
        if (count < 0)
            throw LibvirtNative.LastError("virConnectGetAllDomainStats");
        try
        {
            var result = new Dictionary<string, BulkDomainStats>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                var record = records[i];
                var parsed = new BulkDomainStats();
                for (var p = 0; p < record->NParams; p++)
                    Feed(parsed, &record->Params[p]);
                result[GetUuidBorrowed(record->Dom)] = parsed;
            }
            return result;
        }
        finally
        {
            if (records is not null)
                LibvirtNative.virDomainStatsRecordListFree(records);
        }
    }

    private static void Feed(BulkDomainStats stats, VirTypedParameter* param)
    {
        var name = VirTypedParameter.NameOf(param);
        if (param->Type == VirTypedParameterType.String)
        {
            // Only device names are strings we read; skip the allocation for the rest (paths, etc.).
            if (name.EndsWith(".name"u8))
                stats.SetString(name, LibvirtNative.Utf8(param->String) ?? "");
        }
        else if (TryNumber(param, out var value))
        {
            stats.SetNumber(name, value);
        }
    }

    private static bool TryNumber(VirTypedParameter* param, out long value)
    {
        switch (param->Type)
        {
            case VirTypedParameterType.Int: value = param->Int; return true;
            case VirTypedParameterType.UInt: value = param->UInt; return true;
            case VirTypedParameterType.LLong: value = param->LLong; return true;
            case VirTypedParameterType.ULLong: value = (long)param->ULLong; return true;
            case VirTypedParameterType.Boolean: value = param->Boolean; return true;
            case VirTypedParameterType.Double: value = (long)param->Double; return true;
            default: value = 0; return false;
        }
    }

    public static DomainRunState ToRunState(int state) =>
        state is >= 0 and <= (int)DomainRunState.Suspended ? (DomainRunState)state : DomainRunState.Unknown;

    public void Dispose() => _handle.Dispose();
}
