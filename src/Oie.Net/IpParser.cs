using System.Runtime.CompilerServices;

namespace Oie.Net;

/// <summary>
/// Strict hand-written address parsing over ASCII. IPv4: exactly four decimal octets 0-255, no sign, no leading zeros
/// (01 could mean octal). IPv6: 1-4 hex digits per group, any case, at most one <c>::</c>, an optional dotted IPv4 tail
/// in the last 32 bits. No zone ids, brackets, prefixes or surrounding whitespace.
/// </summary>
internal static class IpParser
{
    public static bool TryParse(ReadOnlySpan<byte> s, out IpKey key)
    {
        if (s.Length is > 0 and <= IpKey.MaxTextLength)
        {
            if (s.Contains((byte)':'))
            {
                if (TryParseV6(s, out UInt128 v6))
                {
                    key = IpKey.FromV6(v6);
                    return true;
                }
            }
            else if (TryParseV4(s, out uint v4))
            {
                key = IpKey.FromV4(v4);
                return true;
            }
        }

        key = default;
        return false;
    }

    public static bool TryParseV4(ReadOnlySpan<byte> s, out uint value)
    {
        value = 0;
        int i = 0;
        for (int octet = 0; octet < 4; octet++)
        {
            if (octet > 0)
            {
                if ((uint)i >= (uint)s.Length || s[i] != (byte)'.')
                {
                    return false;
                }

                i++;
            }

            int start = i;
            uint part = 0;
            while ((uint)i < (uint)s.Length && i - start < 3)
            {
                uint digit = (uint)(s[i] - '0');
                if (digit > 9)
                {
                    break;
                }

                part = (part * 10) + digit;
                i++;
            }

            int length = i - start;
            if (length == 0 || part > 255 || (length > 1 && s[start] == (byte)'0'))
            {
                return false;
            }

            value = (value << 8) | part;
        }

        return i == s.Length;
    }

    public static bool TryParseV6(ReadOnlySpan<byte> s, out UInt128 value)
    {
        value = 0;
        Span<ushort> groups = stackalloc ushort[8];
        int count = 0;
        int compressAt = -1;
        int i = 0;

        if (s.Length >= 2 && s[0] == (byte)':' && s[1] == (byte)':')
        {
            compressAt = 0;
            i = 2;
        }

        while (i < s.Length)
        {
            int start = i;
            uint group = 0;
            while ((uint)i < (uint)s.Length)
            {
                int nibble = HexValue(s[i]);
                if (nibble < 0)
                {
                    break;
                }

                group = (group << 4) | (uint)nibble;
                i++;
                if (i - start > 4)
                {
                    // Could still be the start of an IPv4 tail only if it were <= 3 digits, so it is not.
                    return false;
                }
            }

            if ((uint)i < (uint)s.Length && s[i] == (byte)'.')
            {
                if (count > 6 || !TryParseV4(s[start..], out uint v4))
                {
                    return false;
                }

                groups[count++] = (ushort)(v4 >> 16);
                groups[count++] = (ushort)v4;
                i = s.Length;
                break;
            }

            if (i == start || count == 8)
            {
                return false;
            }

            groups[count++] = (ushort)group;
            if (i == s.Length)
            {
                break;
            }

            if (s[i] != (byte)':')
            {
                return false;
            }

            i++;
            if ((uint)i < (uint)s.Length && s[i] == (byte)':')
            {
                if (compressAt >= 0)
                {
                    return false;
                }

                compressAt = count;
                i++;
            }
            else if (i == s.Length)
            {
                return false; // a single trailing colon
            }
        }

        if (compressAt < 0 ? count != 8 : count > 7)
        {
            return false;
        }

        int gap = 8 - count;
        UInt128 result = 0;
        for (int g = 0; g < count; g++)
        {
            if (g == compressAt)
            {
                result <<= 16 * gap;
            }

            result = (result << 16) | groups[g];
        }

        if (compressAt == count)
        {
            result <<= 16 * gap;
        }

        value = result;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int HexValue(byte c)
    {
        uint digit = (uint)(c - '0');
        if (digit <= 9)
        {
            return (int)digit;
        }

        uint letter = (uint)((c | 0x20) - 'a');
        return letter <= 5 ? (int)letter + 10 : -1;
    }
}
