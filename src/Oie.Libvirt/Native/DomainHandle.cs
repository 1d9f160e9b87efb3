using Microsoft.Win32.SafeHandles;

namespace Oie.Libvirt.Native;

/// <summary>A virDomainPtr this process owns a reference to, released with virDomainFree.</summary>
internal sealed class DomainHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DomainHandle() : base(ownsHandle: true)
    {
    }

    public DomainHandle(nint domain) : base(ownsHandle: true) => SetHandle(domain);

    protected override bool ReleaseHandle() => LibvirtNative.virDomainFree(handle) >= 0;
}
