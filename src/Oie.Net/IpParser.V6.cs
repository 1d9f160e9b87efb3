using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Oie.Net;

internal static partial class IpParser
{
    private const int Front = 4; // zero bytes before the text, so a group's 4 nibbles can be read before its end

    /// <summary>
    /// IPv6 without a dotted tail, the form conntrack prints. One pass of vector compares finds every ':' and checks
    /// that nothing but hex digits and colons is present; each group's value is then read from its end position, so
    /// the groups do not wait on one another (the scalar parser's chain of "where does the next group start").
    /// </summary>
    [SkipLocalsInit]
    public static bool TryParseV6(ReadOnlySpan<byte> s, out ulong high, out ulong low)
    {
        int length = s.Length;
        Span<byte> padded = stackalloc byte[Front + 64];
        padded.Clear();
        s.CopyTo(padded[Front..]);
        ref byte text = ref MemoryMarshal.GetReference(padded);

        Vector256<byte> a = Vector256.LoadUnsafe(ref text, Front);
        Vector256<byte> b = Vector256.LoadUnsafe(ref text, Front + 32);
        ulong colons = Mask(Vector256.Equals(a, Vector256.Create((byte)':')), Vector256.Equals(b, Vector256.Create((byte)':')));
        ulong hex = Mask(IsHex(a), IsHex(b));
        ulong all = (1UL << length) - 1; // length <= 45
        if ((colons | hex) != all)
        {
            return (Mask(Vector256.Equals(a, Vector256.Create((byte)'.')), Vector256.Equals(b, Vector256.Create((byte)'.'))) != 0)
                ? TryParseV6Scalar(s, out high, out low)
                : Fail(out high, out low);
        }

        ulong doubles = colons & (colons >> 1); // "::" starts here
        bool leadingSingle = (colons & 1) != 0 && (doubles & 1) == 0;
        bool trailingSingle = ((colons >> (length - 1)) & 1) != 0 && (length < 2 || ((doubles >> (length - 2)) & 1) == 0);
        if (BitOperations.PopCount(doubles) > 1 || leadingSingle || trailingSingle || length < 2)
        {
            return Fail(out high, out low);
        }

        Span<ushort> groups = stackalloc ushort[8];
        if (doubles == 0)
        {
            if (ReadGroups(ref text, 0, length, colons, groups) != 8)
            {
                return Fail(out high, out low);
            }
        }
        else
        {
            int at = BitOperations.TrailingZeroCount(doubles);
            Span<ushort> right = stackalloc ushort[8];
            int left = at == 0 ? 0 : ReadGroups(ref text, 0, at, colons & ((1UL << at) - 1), groups);
            int after = at + 2 == length ? 0 : ReadGroups(ref text, at + 2, length, colons >> (at + 2) << (at + 2), right);
            if (left < 0 || after < 0 || left + after > 7)
            {
                return Fail(out high, out low);
            }

            groups[left..].Clear();
            right[..after].CopyTo(groups[(8 - after)..]);
        }

        high = ((ulong)groups[0] << 48) | ((ulong)groups[1] << 32) | ((ulong)groups[2] << 16) | groups[3];
        low = ((ulong)groups[4] << 48) | ((ulong)groups[5] << 32) | ((ulong)groups[6] << 16) | groups[7];
        return true;
    }

    /// <summary>Groups of 1-4 hex digits separated by single colons in [from, to); <paramref name="colons"/> holds
    /// only the colons in that range. Returns the group count, or -1 (empty or over-long group, more than 8).</summary>
    private static int ReadGroups(ref byte text, int from, int to, ulong colons, Span<ushort> groups)
    {
        ref byte hexTable = ref MemoryMarshal.GetReference(HexTable);
        int count = 0;
        int start = from;
        while (true)
        {
            int end = colons == 0 ? to : BitOperations.TrailingZeroCount(colons);
            int digits = end - start;
            if ((uint)(digits - 1) > 3 || count == 8)
            {
                return -1;
            }

            ref byte last = ref Unsafe.Add(ref text, Front + end - 1);
            uint value = (Unsafe.Add(ref hexTable, last) & 0xFu) |
                ((Unsafe.Add(ref hexTable, Unsafe.Subtract(ref last, 1)) & 0xFu) << 4) |
                ((Unsafe.Add(ref hexTable, Unsafe.Subtract(ref last, 2)) & 0xFu) << 8) |
                ((Unsafe.Add(ref hexTable, Unsafe.Subtract(ref last, 3)) & 0xFu) << 12);
            groups[count++] = (ushort)(value & ((1u << (4 * digits)) - 1));
            if (colons == 0)
            {
                return count;
            }

            colons &= colons - 1;
            start = end + 1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> IsHex(Vector256<byte> v) =>
        Vector256.LessThan(v - Vector256.Create((byte)'0'), Vector256.Create((byte)10)) |
        Vector256.LessThan((v | Vector256.Create((byte)0x20)) - Vector256.Create((byte)'a'), Vector256.Create((byte)6));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mask(Vector256<byte> low, Vector256<byte> high) =>
        low.ExtractMostSignificantBits() | ((ulong)high.ExtractMostSignificantBits() << 32);

    private static bool Fail(out ulong high, out ulong low)
    {
        high = low = 0;
        return false;
    }
}
