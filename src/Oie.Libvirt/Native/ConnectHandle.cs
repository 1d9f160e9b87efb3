using Microsoft.Win32.SafeHandles;

namespace Oie.Libvirt.Native;

/// <summary>A virConnectPtr, closed with virConnectClose.</summary>
internal sealed class ConnectHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ConnectHandle() : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => LibvirtNative.virConnectClose(handle) >= 0;
}
