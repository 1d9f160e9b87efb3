using Oie.Abstractions;
using Oie.Libvirt.Native;

namespace Oie.Libvirt;

/// <summary>The job calls. Unlike the bulk call with NOWAIT, each of them takes a QEMU query job and can wait on a busy
/// or hung monitor, so <see cref="JobReader"/> runs them under their own budget, off the cycle's thread.</summary>
internal sealed unsafe partial class LibvirtConnection
{
    /// <summary>VIR_DOMAIN_JOB_OPERATION_* by value.</summary>
    private static readonly string[] JobOperations =
    [
        "unknown", "start", "save", "restore", "migration_in", "migration_out", "snapshot", "snapshot_revert", "dump",
        "backup", "snapshot_delete",
    ];

    /// <summary>VIR_DOMAIN_BLOCK_JOB_TYPE_* by value.</summary>
    private static readonly string[] BlockJobTypes = ["unknown", "pull", "copy", "commit", "active_commit", "backup"];

    private const long MiB = 1024 * 1024;

    /// <summary>The domain with this UUID on this connection; the caller disposes it.</summary>
    public DomainHandle LookupByUuid(string uuid)
    {
        var handle = LibvirtNative.virDomainLookupByUUIDString(_handle, uuid);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw LibvirtNative.LastError($"virDomainLookupByUUIDString({uuid})");
        }
        return handle;
    }

    /// <summary>virDomainGetJobStats(flags 0): the running job, null while none runs.</summary>
    public static DomainJob? GetJobStats(DomainHandle domain)
    {
        int type;
        VirTypedParameter* parameters = null;
        int count;
        if (LibvirtNative.virDomainGetJobStats(domain, &type, &parameters, &count, 0) < 0)
            throw LibvirtNative.LastError("virDomainGetJobStats");
        try
        {
            if (type == LibvirtNative.DomainJobNone)
                return null;
            var operation = "unknown";
            long? elapsedMs = null, total = null, processed = null, remaining = null;
            for (var i = 0; i < count; i++)
            {
                var param = &parameters[i];
                if (!TryNumber(param, out var value))
                    continue;
                var name = VirTypedParameter.NameOf(param);
                if (name.SequenceEqual("operation"u8))
                    operation = value >= 0 && value < JobOperations.Length ? JobOperations[value] : "unknown";
                else if (name.SequenceEqual("time_elapsed"u8))
                    elapsedMs = value;
                else if (name.SequenceEqual("data_total"u8))
                    total = value;
                else if (name.SequenceEqual("data_processed"u8))
                    processed = value;
                else if (name.SequenceEqual("data_remaining"u8))
                    remaining = value;
            }
            return new DomainJob(operation, elapsedMs / 1000.0, total, processed, remaining);
        }
        finally
        {
            if (parameters is not null)
                LibvirtNative.virTypedParamsFree(parameters, count);
        }
    }

    /// <summary>
    /// virDomainGetBlockJobInfo for one disk; null when no block job runs on it. Asks for the bandwidth in bytes/s; a
    /// libvirt that refuses the flag (before 1.2.9) is asked in MiB/s from then on (<paramref name="bandwidthInBytes"/>
    /// is cleared) and the value converted.
    /// </summary>
    public static BlockJob? GetBlockJobInfo(DomainHandle domain, string target, ref bool bandwidthInBytes)
    {
        VirDomainBlockJobInfo info;
        var flags = bandwidthInBytes ? LibvirtNative.BlockJobInfoBandwidthBytes : 0;
        var found = LibvirtNative.virDomainGetBlockJobInfo(domain, target, &info, flags);
        if (found < 0 && bandwidthInBytes)
        {
            var e = LibvirtNative.LastError($"virDomainGetBlockJobInfo({target})");
            if (e.Code != LibvirtException.ErrInvalidArg)
                throw e;
            bandwidthInBytes = false;
            found = LibvirtNative.virDomainGetBlockJobInfo(domain, target, &info, 0);
        }
        if (found < 0)
            throw LibvirtNative.LastError($"virDomainGetBlockJobInfo({target})");
        if (found == 0)
            return null;
        var type = info.Type >= 0 && info.Type < BlockJobTypes.Length ? BlockJobTypes[info.Type] : "unknown";
        var bandwidth = (long)Math.Min((ulong)info.Bandwidth.Value, long.MaxValue);
        if (!bandwidthInBytes)
            bandwidth = bandwidth > long.MaxValue / MiB ? long.MaxValue : bandwidth * MiB;
        return new BlockJob(type, Bytes(info.Cur) ?? 0, Bytes(info.End) ?? 0, bandwidth);
    }
}
