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
/// <c>[l3name l3num] l4name l4num timeout ... src=A dst=B ...</c>. Only the header, the first src=/dst= pair and the
/// zone are read; the reply tuple, flags, counters, mark=, labels=, ... are never parsed. The zone is <c>zone=N</c>
/// (printed near the end of the line: by the tool only when N is not 0, by /proc always) or, for a zone set for the
/// original direction only, <c>zone-orig=N</c> after the original tuple.
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
        if (!TryReadOriginalTuple(ref rest, out IpKey source, out IpKey destination) ||
            source.Family != destination.Family || (expected != 0 && source.Family != expected) ||
            !TryReadZone(rest, out ushort zone))
        {
            return ConntrackLineKind.Malformed;
        }

        flow = new ConntrackFlow(source, destination, protocol, zone);
        return ConntrackLineKind.Flow;
    }

    /// <summary>
    /// Parses the line at the start of <paramref name="text"/>, which may hold further lines, and returns the line's
    /// length up to its <c>'\n'</c>, or -1 when <paramref name="text"/> has no <c>'\n'</c> (nothing is decided then).
    /// Gives exactly what <see cref="Parse"/> gives for the line. The common line (<c>-o extended</c> / /proc header,
    /// src= within three tokens) costs short scans up to the original tuple's dst= and then one vectorised pass for
    /// <c>'\n'</c> and <c>'z'</c> together to the line's end: the reply tuple, flags, counters, mark=, secctx=, labels=
    /// are never looked at. Every scan before that pass stops at <c>'\n'</c>; any other line, and any line with a zone
    /// field, is handed to <see cref="Parse"/> / <see cref="TryReadZone"/> over the delimited line, so the fast path
    /// only ever accepts what they accept.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ParseFirstLine(ReadOnlySpan<byte> text, out ConntrackLineKind kind, out ConntrackFlow flow)
    {
        if (TryReadFixedHeader(text, out byte protocol, out IpFamily expected, out int afterHeader) &&
            !text[..afterHeader].Contains((byte)'\n'))
        {
            int at = FindSourceInHeader(text, afterHeader);
            if (at >= 0 && TryReadTupleFast(text, at, expected, out IpKey source, out IpKey destination, out int afterTuple))
            {
                int end = FindLineEnd(text, afterTuple, out bool zoneField);
                if (end < 0)
                {
                    kind = default;
                    flow = default;
                    return -1;
                }

                ushort zone = 0;
                if (end > ConntrackTableReader.MaxLineLength || (zoneField && !TryReadZone(TrimEnd(text[afterTuple..end]), out zone)))
                {
                    kind = ConntrackLineKind.Malformed;
                    flow = default;
                    return end;
                }

                kind = ConntrackLineKind.Flow;
                flow = new ConntrackFlow(source, destination, protocol, zone);
                return end;
            }
        }

        int newline = text.IndexOf((byte)'\n');
        if (newline < 0)
        {
            kind = default;
            flow = default;
            return -1;
        }

        kind = Parse(text[..newline], out flow);
        return newline;
    }

    /// <summary>Where the line's <c>'\n'</c> is, from <paramref name="from"/> on (-1: none), in one pass that also
    /// notes a <c>zone</c> field (a <c>'z'</c> followed by "one"; no address, state, flag or counter has a 'z').</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FindLineEnd(ReadOnlySpan<byte> text, int from, out bool zoneField)
    {
        zoneField = false;
        while (true)
        {
            int hit = text[from..].IndexOfAny((byte)'\n', (byte)'z');
            if (hit < 0)
            {
                return -1;
            }

            from += hit;
            if (text[from] == (byte)'\n')
            {
                return from;
            }

            zoneField |= text[(from + 1)..].StartsWith("one"u8);
            from++;
        }
    }

    /// <summary>The fast path's <c>src=A dst=B</c> at <paramref name="at"/> (the space before src=): false when anything
    /// is off, for <see cref="Parse"/> to decide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadTupleFast(ReadOnlySpan<byte> text, int at, IpFamily family, out IpKey source, out IpKey destination, out int afterTuple)
    {
        destination = default;
        afterTuple = 0;
        int start = at + 5;
        int length = text[start..].IndexOfAny((byte)' ', (byte)'\n');
        if (length < 0 || !IpKey.TryParse(text.Slice(start, length), family, out source))
        {
            source = default;
            return false;
        }

        int pos = start + length;
        while (pos < text.Length && IsBlank(text[pos]))
        {
            pos++;
        }

        if (pos == start + length || !text[pos..].StartsWith("dst="u8))
        {
            return false;
        }

        start = pos + 4;
        length = text[start..].IndexOfAny((byte)' ', (byte)'\n');
        if (length < 0 || !IpKey.TryParse(text.Slice(start, length), family, out destination))
        {
            return false;
        }

        afterTuple = start + length;
        return true;
    }

    /// <summary>The space before the original tuple's src= within the three tokens after the header (a timeout, a
    /// state, gre's two more), or -1 for <see cref="Parse"/> to look further. Stops at the line's end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FindSourceInHeader(ReadOnlySpan<byte> text, int i)
    {
        for (int token = 0; token < 4; token++)
        {
            ReadOnlySpan<byte> here = text[i..];
            if (here.StartsWith(" src="u8))
            {
                return i;
            }

            if (here.Length < 2 || here[0] != (byte)' ' || here.StartsWith(" dst="u8))
            {
                return -1;
            }

            int next = here[1..].IndexOfAny((byte)' ', (byte)'\n');
            if (next < 0 || here[1 + next] == (byte)'\n')
            {
                return -1;
            }

            i += next + 1;
        }

        return -1;
    }

    private static ReadOnlySpan<byte> TrimEnd(ReadOnlySpan<byte> line)
    {
        while (line.Length > 0 && IsBlank(line[^1]))
        {
            line = line[..^1];
        }

        return line;
    }

    /// <summary>The zone after the original tuple: false when a zone field is there but is not a number 0–65535.</summary>
    /// <remarks>One backwards scan for the rare byte 'z' (no address, state, flag or counter has one): zone= comes
    /// after the counters, flags, mark and secctx, just before use=, so a zoned line is found within a few bytes of
    /// its end, and a line without a zone costs one vectorised pass. Searching for " zone=" itself would stop at
    /// every space.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadZone(ReadOnlySpan<byte> rest, out ushort zone)
    {
        zone = 0;
        ReadOnlySpan<byte> before = rest;
        while (true)
        {
            int z = before.LastIndexOf((byte)'z');
            if (z <= 0)
            {
                return true;
            }

            before = before[..z];
            if (before[^1] != (byte)' ')
            {
                continue;
            }

            ReadOnlySpan<byte> field = rest[z..];
            if (field.StartsWith("zone="u8))
            {
                return TryParseZone(field[5..], out zone); // both directions: wins over zone-orig=
            }

            if (field.StartsWith("zone-orig="u8) && !TryParseZone(field[10..], out zone))
            {
                return false;
            }
        }
    }

    private static bool TryParseZone(ReadOnlySpan<byte> value, out ushort zone)
    {
        zone = 0;
        uint number = 0;
        int i = 0;
        for (; i < value.Length && value[i] != (byte)' '; i++)
        {
            uint digit = (uint)(value[i] - '0');
            if (digit > 9 || i == 5)
            {
                return false;
            }

            number = (number * 10) + digit;
        }

        if (i == 0 || number > ushort.MaxValue)
        {
            return false;
        }

        zone = (ushort)number;
        return true;
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

    /// <summary>
    /// The original tuple's <c>src=A dst=B</c>: the line's first <c>src=</c>, with no <c>dst=</c> before it, and
    /// <c>dst=</c> as the very next token. A line whose original tuple lacks either is malformed; its reply tuple's
    /// addresses are never taken for the original's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadOriginalTuple(ref ReadOnlySpan<byte> rest, out IpKey source, out IpKey destination)
    {
        destination = default;
        int at = FindOriginalSource(rest);
        if (at < 0 || !TryReadValue(ref rest, at + 5, out source))
        {
            source = default;
            return false;
        }

        int blanks = 0;
        while (blanks < rest.Length && IsBlank(rest[blanks]))
        {
            blanks++;
        }

        return blanks > 0 && rest[blanks..].StartsWith("dst="u8) && TryReadValue(ref rest, blanks + 4, out destination);
    }

    /// <summary>Parses the address that starts at <paramref name="start"/> and runs to the next space.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadValue(ref ReadOnlySpan<byte> rest, int start, out IpKey key)
    {
        rest = rest[start..];
        int end = rest.IndexOf((byte)' ');
        if (end < 0)
        {
            end = rest.Length;
        }

        bool ok = IpKey.TryParse(rest[..end], out key);
        rest = rest[end..];
        return ok;
    }

    /// <summary>Where the original tuple's " src=" is, or -1 when a " dst=" comes first (the original tuple has no
    /// source). src= follows the header after at most a timeout and a state (gre: two more tokens): look at the next
    /// three tokens before searching the whole line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FindOriginalSource(ReadOnlySpan<byte> rest)
    {
        int i = 0;
        for (int token = 0; token < 3; token++)
        {
            ReadOnlySpan<byte> here = rest[i..];
            if (here.StartsWith(" src="u8))
            {
                return i;
            }

            if (here.StartsWith(" dst="u8) || i + 1 >= rest.Length)
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

        int found = rest[i..].IndexOf(" src="u8);
        return found < 0 || rest.Slice(i, found).IndexOf(" dst="u8) >= 0 ? -1 : i + found;
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
