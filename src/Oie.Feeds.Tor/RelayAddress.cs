using Oie.Net;

namespace Oie.Feeds.Tor;

/// <summary>An Onionoo address: <c>1.2.3.4:9001</c> and <c>[2001:db8::1]:443</c> (or_addresses), or a plain
/// <c>1.2.3.4</c> / <c>2001:db8::1</c> (exit_addresses).</summary>
internal static class RelayAddress
{
    public static bool TryParse(ReadOnlySpan<byte> text, out IpKey address)
    {
        address = default;
        if (text.IsEmpty)
            return false;

        if (text[0] == (byte)'[')
        {
            var close = text.IndexOf((byte)']');
            var rest = close < 0 ? default : text[(close + 1)..];
            return close > 0 && (rest.IsEmpty || IsPort(rest)) && IpKey.TryParse(text[1..close], out address) && address.IsV6;
        }

        var colon = text.IndexOf((byte)':');
        if (colon >= 0 && colon == text.LastIndexOf((byte)':'))
            return IsPort(text[colon..]) && IpKey.TryParse(text[..colon], out address) && address.IsV4;

        return IpKey.TryParse(text, out address);
    }

    /// <summary><c>:</c> and a decimal port 0-65535.</summary>
    private static bool IsPort(ReadOnlySpan<byte> text)
    {
        if (text.Length is < 2 or > 6 || text[0] != (byte)':')
            return false;
        var port = 0;
        foreach (var c in text[1..])
        {
            var digit = c - '0';
            if ((uint)digit > 9)
                return false;
            port = (port * 10) + digit;
        }
        return port <= 65535;
    }
}
