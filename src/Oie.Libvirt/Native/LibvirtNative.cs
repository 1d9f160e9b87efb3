using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Oie.Libvirt.Native;

/// <summary>
/// The libvirt entry points the exporter needs, as declared in /usr/include/libvirt/*.h (libvirt 9.0). Strings the
/// caller must free come back as pointers and are released with <see cref="NativeMemory.Free"/>, which is libc's free().
/// </summary>
internal static unsafe partial class LibvirtNative
{
    private const string Lib = "libvirt.so.0";

    public const uint ConnectListDomainsActive = 1 << 0;
    public const uint GetAllDomainsStatsNoWait = 1 << 29;

    public const uint DomainStatsState = 1 << 0;
    public const uint DomainStatsCpuTotal = 1 << 1;
    public const uint DomainStatsBalloon = 1 << 2;
    public const uint DomainStatsVcpu = 1 << 3;
    public const uint DomainStatsInterface = 1 << 4;
    public const uint DomainStatsBlock = 1 << 5;

    /// <summary>VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES: bandwidth in bytes/s instead of MiB/s.</summary>
    public const uint BlockJobInfoBandwidthBytes = 1 << 0;

    /// <summary>VIR_DOMAIN_JOB_NONE: virDomainGetJobStats's type when no job is active.</summary>
    public const int DomainJobNone = 0;

    /// <summary>VIR_UUID_STRING_BUFLEN: 36 characters plus NUL.</summary>
    public const int UuidStringBufLen = 37;

    [LibraryImport(Lib)]
    public static partial int virInitialize();

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial ConnectHandle virConnectOpenReadOnly(string? name);

    [LibraryImport(Lib)]
    public static partial int virConnectClose(nint conn);

    [LibraryImport(Lib)]
    public static partial int virConnectIsAlive(ConnectHandle conn);

    [LibraryImport(Lib)]
    public static partial int virConnectListAllDomains(ConnectHandle conn, nint** domains, uint flags);

    [LibraryImport(Lib)]
    public static partial int virDomainFree(nint domain);

    [LibraryImport(Lib)]
    public static partial int virDomainGetUUIDString(DomainHandle domain, byte* buf);

    /// <summary>For the borrowed domain pointers inside a stats record list.</summary>
    [LibraryImport(Lib, EntryPoint = "virDomainGetUUIDString")]
    public static partial int virDomainGetUUIDStringBorrowed(nint domain, byte* buf);

    /// <summary>Returns a string owned by the domain object: do not free.</summary>
    [LibraryImport(Lib)]
    public static partial nint virDomainGetName(DomainHandle domain);

    /// <summary>(unsigned int)-1 for an inactive domain or on error.</summary>
    [LibraryImport(Lib)]
    public static partial uint virDomainGetID(DomainHandle domain);

    /// <summary>Caller frees the result.</summary>
    [LibraryImport(Lib)]
    public static partial nint virDomainGetXMLDesc(DomainHandle domain, uint flags);

    [LibraryImport(Lib)]
    public static partial int virDomainGetInfo(DomainHandle domain, VirDomainInfo* info);

    [LibraryImport(Lib)]
    public static partial int virDomainGetCPUStats(DomainHandle domain, VirTypedParameter* @params, uint nparams, int startCpu, uint ncpus, uint flags);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int virDomainBlockStats(DomainHandle dom, string disk, VirDomainBlockStats* stats, nuint size);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int virDomainInterfaceStats(DomainHandle dom, string device, VirDomainInterfaceStats* stats, nuint size);

    /// <summary>A new reference the caller frees (invalid handle on error).</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial DomainHandle virDomainLookupByUUIDString(ConnectHandle conn, string uuid);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int virDomainGetBlockInfo(DomainHandle dom, string disk, VirDomainBlockInfo* info, uint flags);

    /// <summary>On success <paramref name="params"/> is allocated by libvirt: free it with <see cref="virTypedParamsFree"/>.</summary>
    [LibraryImport(Lib)]
    public static partial int virDomainGetJobStats(DomainHandle domain, int* type, VirTypedParameter** @params, int* nparams, uint flags);

    /// <summary>1 when a block job runs on <paramref name="disk"/>, 0 when none, -1 on error.</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int virDomainGetBlockJobInfo(DomainHandle dom, string disk, VirDomainBlockJobInfo* info, uint flags);

    [LibraryImport(Lib)]
    public static partial void virTypedParamsFree(VirTypedParameter* @params, int nparams);

    [LibraryImport(Lib)]
    public static partial int virConnectGetAllDomainStats(ConnectHandle conn, uint stats, VirDomainStatsRecord*** retStats, uint flags);

    [LibraryImport(Lib)]
    public static partial void virDomainStatsRecordListFree(VirDomainStatsRecord** stats);

    [LibraryImport(Lib)]
    public static partial void virTypedParamsClear(VirTypedParameter* @params, int nparams);

    [LibraryImport(Lib)]
    public static partial VirError* virGetLastError();

    [LibraryImport(Lib)]
    public static partial void virResetLastError();

    [LibraryImport(Lib)]
    public static partial void virSetErrorFunc(nint userData, delegate* unmanaged<nint, VirError*, void> handler);

    private static int s_initialized;

    /// <summary>
    /// Initialises the library once per process and replaces libvirt's default error handler, which prints every error
    /// to stderr, with one that does nothing: errors are read back with virGetLastError instead.
    /// </summary>
    public static void EnsureInitialized()
    {
        if (Interlocked.Exchange(ref s_initialized, 1) == 1)
            return;
        virInitialize();
        virSetErrorFunc(0, &IgnoreError);
    }

    [UnmanagedCallersOnly]
    private static void IgnoreError(nint userData, VirError* error)
    {
    }

    /// <summary>Builds an exception from the calling thread's last libvirt error (libvirt keeps it per thread).</summary>
    public static LibvirtException LastError(string operation)
    {
        var error = virGetLastError();
        var exception = error is null
            ? new LibvirtException(0, $"{operation} failed (libvirt reported no error)")
            : new LibvirtException(error->Code, $"{operation}: {Marshal.PtrToStringUTF8(error->Message) ?? "unknown error"}");
        virResetLastError();
        return exception;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static string? Utf8(nint p) => Marshal.PtrToStringUTF8(p);
}
