using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Oie.ThreatIntel.Tests;

/// <summary>
/// A feed in the simplest real-world shape (ET / custom list): one address or CIDR per line (anything after <c>;</c> ignored, as in DROP), <c>#</c> comments and
/// blanks ignored, anything else counted invalid — enough to drive the shared machinery without the real plugins.
/// </summary>
internal sealed class LineFeed(string name, TimeSpan refresh, params Uri[] sources) : IThreatFeed
{
    public FeedDescriptor Descriptor { get; } =
        new(name, $"oie_{name}_contact", $"1 if this instance communicated with an IP listed by {name}", sources, refresh);

    public void Parse(ReadOnlySpan<byte> body, Uri source, FeedEntriesBuilder entries)
    {
        foreach (var raw in Encoding.UTF8.GetString(body).Split('\n'))
        {
            var line = raw.Split(';')[0].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            if (!Add(line, entries))
                entries.CountInvalid();
        }
    }

    private static bool Add(string text, FeedEntriesBuilder entries)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var prefix = -1;
        if (slash >= 0 && !int.TryParse(text[(slash + 1)..], out prefix))
            return false;
        if (!IPAddress.TryParse(slash >= 0 ? text[..slash] : text, out var address))
            return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var v4 = Ip.V4(address);
            if (prefix < 0)
                entries.AddV4(v4);
            else if (prefix <= 32)
                entries.AddV4Cidr(v4, prefix);
            else
                return false;
        }
        else
        {
            var v6 = Ip.V6(address);
            if (prefix < 0)
                entries.AddV6(v6);
            else if (prefix <= 128)
                entries.AddV6Cidr(v6, prefix);
            else
                return false;
        }
        return true;
    }

    /// <summary>A body of <paramref name="count"/> distinct /32s, 10.0.0.1 upwards.</summary>
    public static string Addresses(int count, uint first = 0x0A000001) =>
        string.Join("\n", Enumerable.Range(0, count).Select(i => Ip.Format(first + (uint)i))) + "\n";
}
