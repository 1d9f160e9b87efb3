using System.Numerics;

namespace Oie.Net;

/// <summary>Dotted quad for IPv4; RFC 5952 for IPv6: lower-case, no leading zeros, the longest run of two or more zero
/// groups (the leftmost on a tie) as <c>::</c>, IPv4-mapped addresses as <c>::ffff:a.b.c.d</c>.</summary>
internal static class IpFormatter
{
    private const string HexDigits = "0123456789abcdef";

    public static bool TryFormat<TChar>(IpKey key, Span<TChar> destination, out int written)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        written = 0;
        switch (key.Family)
        {
            case IpFamily.V4:
                return TryWriteV4(key.V4Value, destination, ref written);
            case IpFamily.V6:
                return TryWriteV6(key.High, key.Low, destination, ref written);
            default:
                return true;
        }
    }

    private static bool TryWriteV6<TChar>(ulong high, ulong low, Span<TChar> destination, ref int written)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        if (high == 0 && low >> 32 == 0xFFFF)
        {
            return TryWriteAscii("::ffff:", destination, ref written) && TryWriteV4((uint)low, destination, ref written);
        }

        Span<ushort> groups = stackalloc ushort[8];
        for (int g = 0; g < 4; g++)
        {
            groups[g] = (ushort)(high >> (48 - (16 * g)));
            groups[g + 4] = (ushort)(low >> (48 - (16 * g)));
        }

        (int runStart, int runLength) = LongestZeroRun(groups);
        bool separate = false;
        for (int g = 0; g < 8; g++)
        {
            if (g == runStart)
            {
                if (!TryWriteAscii("::", destination, ref written))
                {
                    return false;
                }

                g += runLength - 1;
                separate = false;
                continue;
            }

            if ((separate && !TryWriteAscii(":", destination, ref written)) || !TryWriteHex(groups[g], destination, ref written))
            {
                return false;
            }

            separate = true;
        }

        return true;
    }

    private static (int Start, int Length) LongestZeroRun(ReadOnlySpan<ushort> groups)
    {
        int bestStart = -1, bestLength = 1, start = -1;
        for (int g = 0; g <= groups.Length; g++)
        {
            if (g < groups.Length && groups[g] == 0)
            {
                if (start < 0)
                {
                    start = g;
                }
            }
            else if (start >= 0)
            {
                if (g - start > bestLength)
                {
                    bestStart = start;
                    bestLength = g - start;
                }

                start = -1;
            }
        }

        return (bestStart, bestLength);
    }

    private static bool TryWriteV4<TChar>(uint value, Span<TChar> destination, ref int written)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        for (int shift = 24; shift >= 0; shift -= 8)
        {
            if (shift != 24 && !TryWriteAscii(".", destination, ref written))
            {
                return false;
            }

            uint octet = (value >> shift) & 0xFF;
            int digits = octet >= 100 ? 3 : octet >= 10 ? 2 : 1;
            if (written + digits > destination.Length)
            {
                return false;
            }

            for (int d = digits - 1; d >= 0; d--)
            {
                destination[written + d] = TChar.CreateTruncating('0' + (octet % 10));
                octet /= 10;
            }

            written += digits;
        }

        return true;
    }

    private static bool TryWriteHex<TChar>(ushort group, Span<TChar> destination, ref int written)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        int digits = group >= 0x1000 ? 4 : group >= 0x100 ? 3 : group >= 0x10 ? 2 : 1;
        if (written + digits > destination.Length)
        {
            return false;
        }

        for (int d = digits - 1; d >= 0; d--)
        {
            destination[written + d] = TChar.CreateTruncating(HexDigits[group & 0xF]);
            group >>= 4;
        }

        written += digits;
        return true;
    }

    private static bool TryWriteAscii<TChar>(string text, Span<TChar> destination, ref int written)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        if (written + text.Length > destination.Length)
        {
            return false;
        }

        foreach (char c in text)
        {
            destination[written++] = TChar.CreateTruncating(c);
        }

        return true;
    }
}
