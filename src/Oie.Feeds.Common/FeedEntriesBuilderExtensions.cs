using Oie.Abstractions;
using Oie.Net;

namespace Oie.Feeds;

/// <summary>
/// Adds addresses and CIDRs written as ASCII text to a <see cref="FeedEntriesBuilder"/>, through <see cref="IpKey"/> so
/// that every spelling of an address (<c>2001:DB8::1</c>, <c>2001:db8:0::1</c>) gives the same binary key. The TryAdd
/// methods return false, and add nothing, when the text is not what they accept; counting that as invalid is the caller's
/// call.
/// </summary>
public static class FeedEntriesBuilderExtensions
{
    public static void Add(this FeedEntriesBuilder entries, IpKey address)
    {
        if (address.IsV4)
            entries.AddV4(address.V4Value);
        else if (address.IsV6)
            entries.AddV6(address.Value);
    }

    /// <summary>Adds <paramref name="network"/>/<paramref name="prefixLength"/> (host bits ignored).</summary>
    public static void Add(this FeedEntriesBuilder entries, IpKey network, int prefixLength)
    {
        if (network.IsV4)
            entries.AddV4Cidr(network.V4Value, prefixLength);
        else if (network.IsV6)
            entries.AddV6Cidr(network.Value, prefixLength);
    }

    /// <summary>A single IPv4 or IPv6 address, e.g. <c>192.0.2.1</c> or <c>2001:db8::1</c>.</summary>
    public static bool TryAddAddress(this FeedEntriesBuilder entries, ReadOnlySpan<byte> text)
    {
        if (!IpKey.TryParse(text, out var address))
            return false;
        entries.Add(address);
        return true;
    }

    /// <summary>A prefix of any length, e.g. <c>1.10.16.0/20</c> or <c>2001:db8::/32</c>; host bits are ignored.</summary>
    public static bool TryAddCidr(this FeedEntriesBuilder entries, ReadOnlySpan<byte> text)
    {
        if (!text.Contains((byte)'/') || !TryParseAddressOrCidr(text, out var network, out var length))
            return false;
        entries.Add(network, length);
        return true;
    }

    /// <summary>An address, or a CIDR when the text has a <c>/</c>.</summary>
    public static bool TryAddAddressOrCidr(this FeedEntriesBuilder entries, ReadOnlySpan<byte> text)
    {
        if (!TryParseAddressOrCidr(text, out var network, out var length))
            return false;
        entries.Add(network, length);
        return true;
    }

    /// <summary>Parses an address (prefix length 32 or 128) or a CIDR without adding it, for formats that decide
    /// afterwards whether to list it.</summary>
    public static bool TryParseAddressOrCidr(ReadOnlySpan<byte> text, out IpKey network, out int prefixLength)
    {
        prefixLength = 0;
        var slash = text.IndexOf((byte)'/');
        if (!IpKey.TryParse(slash < 0 ? text : text[..slash], out network))
            return false;
        var maxLength = network.IsV4 ? 32 : 128;
        if (slash < 0)
        {
            prefixLength = maxLength;
            return true;
        }
        return TryParsePrefixLength(text[(slash + 1)..], maxLength, out prefixLength);
    }

    /// <summary>Decimal 0 to <paramref name="maxLength"/>, no sign, no leading zeros.</summary>
    private static bool TryParsePrefixLength(ReadOnlySpan<byte> text, int maxLength, out int length)
    {
        length = 0;
        if (text.Length is 0 or > 3 || (text.Length > 1 && text[0] == (byte)'0'))
            return false;
        foreach (var c in text)
        {
            var digit = c - '0';
            if ((uint)digit > 9)
                return false;
            length = (length * 10) + digit;
        }
        return length <= maxLength;
    }
}
