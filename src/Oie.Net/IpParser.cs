using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Oie.Net;

/// <summary>
/// Strict hand-written address parsing over ASCII. IPv4: exactly four decimal octets 0-255, no sign, no leading zeros
/// (01 could mean octal). IPv6: 1-4 hex digits per group, any case, at most one <c>::</c>, an optional dotted IPv4 tail
/// in the last 32 bits. No zone ids, brackets, prefixes or surrounding whitespace.
/// </summary>
internal static partial class IpParser
{
    public static bool TryParse(ReadOnlySpan<byte> s, out IpKey key)
    {
        if (s.Length is > 0 and <= IpKey.MaxTextLength)
        {
            if (s.Contains((byte)':'))
            {
                if (TryParseV6(s, out ulong high, out ulong low))
                {
                    key = IpKey.FromV6(high, low);
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

    public static bool TryParse(ReadOnlySpan<byte> s, IpFamily family, out IpKey key)
    {
        if (s.Length is > 0 and <= IpKey.MaxTextLength)
        {
            if (family == IpFamily.V4)
            {
                if (TryParseV4(s, out uint v4))
                {
                    key = IpKey.FromV4(v4);
                    return true;
                }
            }
            else if (family == IpFamily.V6 && TryParseV6(s, out ulong high, out ulong low))
            {
                key = IpKey.FromV6(high, low);
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

    /// <summary>
    /// Every IPv6 form, the dotted IPv4 tail included. Reads each group's up-to-4 hex digits at once (the digit count
    /// from a mask, not a branch per character) over a zero-padded copy. Requires <c>s.Length &lt;= MaxTextLength</c>.
    /// </summary>
    [SkipLocalsInit]
    public static bool TryParseV6Scalar(ReadOnlySpan<byte> s, out ulong high, out ulong low)
    {
        high = low = 0;
        int length = s.Length;
        Span<byte> padded = stackalloc byte[64];
        s.CopyTo(padded);
        padded.Slice(length, 8).Clear();
        ref byte text = ref MemoryMarshal.GetReference(padded);
        ref byte hex = ref MemoryMarshal.GetReference(HexTable);

        Span<ushort> groups = stackalloc ushort[8];
        int count = 0;
        int compressAt = -1;
        int i = 0;
        if (text == (byte)':')
        {
            if (Unsafe.Add(ref text, 1) != (byte)':')
            {
                return false;
            }

            compressAt = 0;
            i = 2;
        }

        while (i < length)
        {
            uint a = Unsafe.Add(ref hex, Unsafe.Add(ref text, i));
            uint b = Unsafe.Add(ref hex, Unsafe.Add(ref text, i + 1));
            uint c = Unsafe.Add(ref hex, Unsafe.Add(ref text, i + 2));
            uint d = Unsafe.Add(ref hex, Unsafe.Add(ref text, i + 3));
            uint invalid = ((a >> 4) & 1) | ((b >> 3) & 2) | ((c >> 2) & 4) | ((d >> 1) & 8) | 16; // non-hex is 0xFF
            int digits = BitOperations.TrailingZeroCount(invalid);
            byte next = Unsafe.Add(ref text, i + digits);

            if (next == (byte)'.')
            {
                if (count > 6 || !TryParseV4(s[i..], out uint v4))
                {
                    return false;
                }

                groups[count++] = (ushort)(v4 >> 16);
                groups[count++] = (ushort)v4;
                break;
            }

            if (digits == 0 || count == 8)
            {
                return false;
            }

            uint value = ((a & 0xF) << 12) | ((b & 0xF) << 8) | ((c & 0xF) << 4) | (d & 0xF);
            groups[count++] = (ushort)(value >> (16 - (4 * digits)));
            i += digits;
            if (i == length)
            {
                break;
            }

            if (next != (byte)':')
            {
                return false; // anything else, a fifth hex digit included
            }

            i++;
            if (Unsafe.Add(ref text, i) == (byte)':')
            {
                if (compressAt >= 0)
                {
                    return false;
                }

                compressAt = count;
                i++;
            }
            else if (i == length)
            {
                return false; // a single trailing colon
            }
        }

        if (compressAt < 0)
        {
            if (count != 8)
            {
                return false;
            }
        }
        else
        {
            if (count > 7)
            {
                return false;
            }

            // Move the groups after "::" to the end and zero the gap.
            int after = count - compressAt;
            groups.Slice(compressAt, after).CopyTo(groups[(8 - after)..]);
            groups[compressAt..(8 - after)].Clear();
        }

        high = ((ulong)groups[0] << 48) | ((ulong)groups[1] << 32) | ((ulong)groups[2] << 16) | groups[3];
        low = ((ulong)groups[4] << 48) | ((ulong)groups[5] << 32) | ((ulong)groups[6] << 16) | groups[7];
        return true;
    }

    /// <summary>Hex digit value by byte, 0xFF for anything else: one load instead of range checks per character.</summary>
    private static ReadOnlySpan<byte> HexTable =>
    [
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    ];
}
