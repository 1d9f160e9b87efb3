using System.Runtime.CompilerServices;
using Oie.Net;

namespace Oie.Conntrack;

public enum ConntrackLineKind : byte
{
    /// <summary>Not an entry: blank, or the tool's "N flow entries have been shown." summary.</summary>
    Ignored,
    Flow,
    Malformed,
}

/// <summary>
/// Parses one line of <c>conntrack -L [-o extended]</c> or <c>/proc/net/nf_conntrack</c>:
/// <c>[l3name l3num] l4name l4num timeout ... src=A dst=B ...</c>. Only the header and the first src=/dst= pair are
/// read; everything after (the reply tuple, flags, counters, mark=, zone=, labels=, ...) is never scanned.
/// </summary>
public static class ConntrackLineParser
{
    public static ConntrackLineKind Parse(ReadOnlySpan<byte> line, out ConntrackFlow flow)
    {
        flow = default;
        if (line.Length > ConntrackTableReader.MaxLineLength)
        {
            return ConntrackLineKind.Malformed;
        }

        while (line.Length > 0 && IsBlank(line[^1]))
        {
            line = line[..^1];
        }

        if (!TryReadFixedHeader(line, out byte protocol, out IpFamily expected, out int afterHeader))
        {
            ConntrackLineKind kind = ReadHeader(line, out protocol, out expected, out afterHeader);
            if (kind != ConntrackLineKind.Flow)
            {
                return kind;
            }
        }

        ReadOnlySpan<byte> rest = line[afterHeader..];
        if (!TryReadField(ref rest, " src="u8, out IpKey source) || !TryReadField(ref rest, " dst="u8, out IpKey destination) ||
            source.Family != destination.Family || (expected != 0 && source.Family != expected))
        {
            return ConntrackLineKind.Malformed;
        }

        flow = new ConntrackFlow(source, destination, protocol);
        return ConntrackLineKind.Flow;
    }

    /// <summary>
    /// The fast path for <c>-o extended</c> and /proc lines: both print <c>"%-8s %u %-8s %u "</c>, so after
    /// "ipv4     2 " / "ipv6     10 " the L4 name fills 8 columns and its number follows. Anything else (the plain
    /// form, a name longer than 8) goes to <see cref="ReadHeader"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadFixedHeader(ReadOnlySpan<byte> line, out byte protocol, out IpFamily expected, out int afterHeader)
    {
        protocol = 0;
        afterHeader = 0;
        int name;
        if (line.StartsWith("ipv4     2 "u8))
        {
            name = 11;
            expected = IpFamily.V4;
        }
        else if (line.StartsWith("ipv6     10 "u8))
        {
            name = 12;
            expected = IpFamily.V6;
        }
        else
        {
            expected = 0;
            return false;
        }

        int i = name + 9;
        if (line.Length <= i + 3 || !IsLetter(line[name]) || line[name + 8] != (byte)' ')
        {
            return false;
        }

        uint number = 0;
        int start = i;
        while (i < line.Length && (uint)(line[i] - '0') <= 9 && i - start < 3)
        {
            number = (number * 10) + (uint)(line[i] - '0');
            i++;
        }

        if (i == start || number > 255 || (i < line.Length && line[i] != (byte)' '))
        {
            return false;
        }

        protocol = (byte)number;
        afterHeader = i;
        return true;
    }

    /// <summary>Any header: <c>[l3name l3num] l4name l4num [timeout] [state]</c>, tokens separated by blanks. Returns
    /// <see cref="ConntrackLineKind.Flow"/> when the header is good and src= should follow.</summary>
    private static ConntrackLineKind ReadHeader(ReadOnlySpan<byte> line, out byte protocol, out IpFamily expected, out int afterHeader)
    {
        protocol = 0;
        expected = 0;
        afterHeader = 0;
        int pos = 0;
        SkipBlanks(line, ref pos);
        if (pos == line.Length || line[pos..].StartsWith("conntrack v"u8))
        {
            return ConntrackLineKind.Ignored;
        }

        ReadOnlySpan<byte> first = NextToken(line, ref pos);
        afterHeader = pos; // the header has no "src=": search from here, whichever optional tokens follow
        ReadOnlySpan<byte> second = NextToken(line, ref pos);
        ReadOnlySpan<byte> third = NextToken(line, ref pos);
        if (first.IsEmpty || !IsLetter(first[0]) || !IsDigits(second) || third.IsEmpty)
        {
            return ConntrackLineKind.Malformed;
        }

        // Extended: "ipv4 2 tcp 6 ...". Plain: "tcp 6 [timeout] [state] src=..." (no timeout when offloaded, no state
        // for most protocols), so the third token decides.
        ReadOnlySpan<byte> protocolNumber = second;
        ReadOnlySpan<byte> fourth = NextToken(line, ref pos);
        if (IsWord(third) && IsDigits(fourth))
        {
            protocolNumber = fourth;
            if (first.SequenceEqual("ipv4"u8))
            {
                expected = IpFamily.V4;
            }
            else if (first.SequenceEqual("ipv6"u8))
            {
                expected = IpFamily.V6;
            }
        }

        return TryParseByte(protocolNumber, out protocol) ? ConntrackLineKind.Flow : ConntrackLineKind.Malformed;
    }

    /// <summary>Finds the next <paramref name="name"/> (" src=") and parses its value up to the next space.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadField(ref ReadOnlySpan<byte> rest, ReadOnlySpan<byte> name, out IpKey key)
    {
        int at = Near(rest, name);
        if (at < 0)
        {
            key = default;
            return false;
        }

        rest = rest[(at + name.Length)..];
        int end = rest.IndexOf((byte)' ');
        if (end < 0)
        {
            end = rest.Length;
        }

        bool ok = IpKey.TryParse(rest[..end], out key);
        rest = rest[end..];
        return ok;
    }

    /// <summary>dst= directly follows src=, and src= follows the header after at most a timeout and a state: look
    /// at the next three tokens before searching the whole line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Near(ReadOnlySpan<byte> rest, ReadOnlySpan<byte> name)
    {
        int i = 0;
        for (int token = 0; token < 3; token++)
        {
            if (rest[i..].StartsWith(name))
            {
                return i;
            }

            if (i + 1 >= rest.Length)
            {
                return -1;
            }

            int next = rest[(i + 1)..].IndexOf((byte)' ');
            if (next < 0)
            {
                return -1;
            }

            i += next + 1;
        }

        int found = rest[i..].IndexOf(name);
        return found < 0 ? -1 : i + found;
    }

    private static ReadOnlySpan<byte> NextToken(ReadOnlySpan<byte> line, scoped ref int pos)
    {
        SkipBlanks(line, ref pos);
        int start = pos;
        while (pos < line.Length && !IsBlank(line[pos]))
        {
            pos++;
        }

        return line[start..pos];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SkipBlanks(ReadOnlySpan<byte> line, ref int pos)
    {
        while (pos < line.Length && IsBlank(line[pos]))
        {
            pos++;
        }
    }

    private static bool TryParseByte(ReadOnlySpan<byte> digits, out byte value)
    {
        value = 0;
        if (digits.Length is 0 or > 3)
        {
            return false;
        }

        uint result = 0;
        foreach (byte b in digits)
        {
            uint d = (uint)(b - '0');
            if (d > 9)
            {
                return false;
            }

            result = (result * 10) + d;
        }

        if (result > 255)
        {
            return false;
        }

        value = (byte)result;
        return true;
    }

    private static bool IsWord(ReadOnlySpan<byte> token) => !token.IsEmpty && IsLetter(token[0]) && token.IndexOf((byte)'=') < 0;

    private static bool IsDigits(ReadOnlySpan<byte> token)
    {
        foreach (byte b in token)
        {
            if ((uint)(b - '0') > 9)
            {
                return false;
            }
        }

        return !token.IsEmpty;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsBlank(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r';

    private static bool IsLetter(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';
}
