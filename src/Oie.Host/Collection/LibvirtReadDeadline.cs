using Oie.Abstractions;
using Oie.Libvirt;

namespace Oie.Host.Collection;

/// <summary>
/// Bounds a cycle's libvirt read. NOWAIT only skips domains whose job someone else holds: a domain whose QEMU hangs
/// with no job holder makes libvirt wait on its monitor with no timeout, and an unbounded read would freeze every
/// cycle — conntrack, feeds and self metrics included — while the last exposition stays served as if fresh.
/// Past the deadline the cycle goes on with libvirt unavailable (instance series expire after their TTL); the
/// abandoned read keeps its thread, and no new read starts until it returns, so a hung libvirt costs one thread.
/// </summary>
internal sealed class LibvirtReadDeadline(IInstanceSource inner, TimeSpan deadline, TimeProvider time) : IInstanceSource
{
    private Task<LibvirtReadResult>? _abandoned;
    private DateTimeOffset _abandonedAt;

    /// <summary>True while a read that passed its deadline has not returned.</summary>
    public bool ReadInFlight => _abandoned is { IsCompleted: false };

    /// <summary>The abandoned read, for tests to wait on; null when none is pending.</summary>
    internal Task? Abandoned => _abandoned;

    public LibvirtReadResult Read()
    {
        if (ReadInFlight)
            return Unavailable($"a libvirt read started at {_abandonedAt:O} has still not returned; not starting another");
        _abandoned = null;

        var read = Task.Run(inner.Read);
        try
        {
            return read.WaitAsync(deadline, time).GetAwaiter().GetResult();
        }
        catch (TimeoutException)
        {
            _abandoned = read;
            _abandonedAt = time.GetUtcNow();
            return Unavailable($"libvirt did not answer within -libvirt.timeout={GoDuration.Format(deadline)} " +
                               "(a domain's QEMU may be hung); the read goes on in the background");
        }
    }

    private static LibvirtReadResult Unavailable(string error) => new(false, [], error, 0);
}
