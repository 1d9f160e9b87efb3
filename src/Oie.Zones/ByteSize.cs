using System.Globalization;

namespace Oie.Zones;

internal static class ByteSize
{
    /// <summary>"16 MiB", "64 KiB" or "1000 bytes".</summary>
    public static string Format(long bytes) => bytes switch
    {
        >= 1 << 20 when bytes % (1 << 20) == 0 => (bytes >> 20).ToString(CultureInfo.InvariantCulture) + " MiB",
        >= 1 << 10 when bytes % (1 << 10) == 0 => (bytes >> 10).ToString(CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
    };
}
