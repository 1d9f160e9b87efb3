using System.Buffers.Binary;
using System.Net;

namespace Oie.ThreatIntel.Tests;

internal static class Ip
{
    public static uint V4(string text) => V4(IPAddress.Parse(text));

    public static uint V4(IPAddress address) => BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());

    public static UInt128 V6(string text) => V6(IPAddress.Parse(text));

    public static UInt128 V6(IPAddress address) => BinaryPrimitives.ReadUInt128BigEndian(address.GetAddressBytes());

    public static string Format(uint v4)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, v4);
        return new IPAddress(bytes).ToString();
    }
}
