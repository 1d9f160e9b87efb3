namespace Oie.Zones;

/// <summary>The shapes of Neutron port ids and of the device names derived from them.</summary>
internal static class PortIds
{
    /// <summary>Linux device names Neutron derives from a port id: a 3-letter prefix and the id's first 11 characters
    /// (neutron_lib LINUX_DEV_LEN = 14, LINUX_DEV_PREFIX_LEN = 3).</summary>
    public const int DevicePrefixLength = 11;

    /// <summary>True for a canonical 8-4-4-4-12 hexadecimal UUID, in any case.</summary>
    public static bool IsUuid(ReadOnlySpan<char> text) => text.Length == 36 && IsUuidStart(text);

    /// <summary>True for the first 11 characters of a UUID (8 hex digits, a dash, 2 hex digits), in any case.</summary>
    public static bool IsDevicePrefix(ReadOnlySpan<char> text) => text.Length == DevicePrefixLength && IsUuidStart(text);

    private static bool IsUuidStart(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var dash = i is 8 or 13 or 18 or 23;
            if (dash ? text[i] != '-' : !char.IsAsciiHexDigit(text[i]))
                return false;
        }
        return true;
    }
}
