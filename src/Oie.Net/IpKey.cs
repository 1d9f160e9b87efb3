using System.Runtime.CompilerServices;

namespace Oie.Net;

/// <summary>
/// An IPv4 or IPv6 address as a fixed-size value: the family and the address as a number (IPv4 in the low 32 bits,
/// 1.2.3.4 = 0x01020304; IPv6 the 128 bits in network order). Equal addresses are equal keys whatever their spelling.
/// </summary>
/// <remarks>Stored as two ulongs rather than a UInt128 so that the struct is 8-byte aligned (24 bytes, not 32).</remarks>
public readonly struct IpKey : IEquatable<IpKey>, IComparable<IpKey>, ISpanFormattable, IUtf8SpanFormattable
{
    /// <summary>The longest text an address can be spelled in (<c>ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255</c>);
    /// formatting writes at most 39 characters.</summary>
    public const int MaxTextLength = 45;

    private readonly ulong _low;
    private readonly ulong _high;
    private readonly IpFamily _family;

    private IpKey(IpFamily family, ulong high, ulong low)
    {
        _family = family;
        _high = high;
        _low = low;
    }

    public IpFamily Family => _family;

    public UInt128 Value => new(_high, _low);

    public bool IsV4 => _family == IpFamily.V4;

    public bool IsV6 => _family == IpFamily.V6;

    /// <summary>True for the zero value (<c>default(IpKey)</c>), which is neither an IPv4 nor an IPv6 address.</summary>
    public bool IsDefault => _family == 0;

    public static IpKey FromV4(uint value) => new(IpFamily.V4, 0, value);

    public static IpKey FromV6(UInt128 value) => new(IpFamily.V6, (ulong)(value >> 64), (ulong)value);

    /// <summary>An IPv6 address from its high and low 64 bits.</summary>
    public static IpKey FromV6(ulong high, ulong low) => new(IpFamily.V6, high, low);

    /// <summary>The IPv4 address as a number; only meaningful when <see cref="IsV4"/>.</summary>
    public uint V4Value => (uint)_low;

    public static bool TryParse(ReadOnlySpan<byte> ascii, out IpKey key) => IpParser.TryParse(ascii, out key);

    /// <summary>An address of <paramref name="family"/> only, for text whose family is already known (a conntrack
    /// line's header names it): no search for ':' to tell the families apart.</summary>
    public static bool TryParse(ReadOnlySpan<byte> ascii, IpFamily family, out IpKey key) => IpParser.TryParse(ascii, family, out key);

    public static bool TryParse(ReadOnlySpan<char> text, out IpKey key)
    {
        if (text.Length is 0 or > MaxTextLength)
        {
            key = default;
            return false;
        }

        Span<byte> ascii = stackalloc byte[MaxTextLength];
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c > 0x7F)
            {
                key = default;
                return false;
            }

            ascii[i] = (byte)c;
        }

        return IpParser.TryParse(ascii[..text.Length], out key);
    }

    public static bool TryParse(string? text, out IpKey key)
    {
        if (text is null)
        {
            key = default;
            return false;
        }

        return TryParse(text.AsSpan(), out key);
    }

    public static IpKey Parse(ReadOnlySpan<char> text) =>
        TryParse(text, out IpKey key) ? key : throw new FormatException($"Not an IP address: '{text}'.");

    public static IpKey Parse(string text) => Parse(text.AsSpan());

    public bool TryFormat(Span<char> destination, out int charsWritten) => IpFormatter.TryFormat(this, destination, out charsWritten);

    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten) => IpFormatter.TryFormat(this, utf8Destination, out bytesWritten);

    bool ISpanFormattable.TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        TryFormat(destination, out charsWritten);

    bool IUtf8SpanFormattable.TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        TryFormat(utf8Destination, out bytesWritten);

    string IFormattable.ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <summary>Dotted quad for IPv4; RFC 5952 canonical text for IPv6 (IPv4-mapped as <c>::ffff:a.b.c.d</c>);
    /// empty for <c>default</c>.</summary>
    public override string ToString()
    {
        Span<char> buffer = stackalloc char[MaxTextLength];
        return TryFormat(buffer, out int written) ? new string(buffer[..written]) : "";
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Equals(IpKey other) => _low == other._low && _high == other._high && _family == other._family;

    public override bool Equals(object? obj) => obj is IpKey other && Equals(other);

    /// <summary>A multiply-shift mix of the 17 bytes: cheap, and its high bits are well spread (open addressing uses them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override int GetHashCode()
    {
        ulong h = (_low ^ ((_high << 29) | (_high >> 35)) ^ (ulong)_family) * 0x9E3779B97F4A7C15UL;
        return (int)(h >> 32);
    }

    /// <summary>IPv4 before IPv6, then by numeric value.</summary>
    public int CompareTo(IpKey other)
    {
        int c = _family.CompareTo(other._family);
        if (c != 0)
        {
            return c;
        }

        c = _high.CompareTo(other._high);
        return c != 0 ? c : _low.CompareTo(other._low);
    }

    public static bool operator ==(IpKey left, IpKey right) => left.Equals(right);

    public static bool operator !=(IpKey left, IpKey right) => !left.Equals(right);

    public static bool operator <(IpKey left, IpKey right) => left.CompareTo(right) < 0;

    public static bool operator >(IpKey left, IpKey right) => left.CompareTo(right) > 0;

    public static bool operator <=(IpKey left, IpKey right) => left.CompareTo(right) <= 0;

    public static bool operator >=(IpKey left, IpKey right) => left.CompareTo(right) >= 0;

    internal ulong High => _high;

    internal ulong Low => _low;
}
