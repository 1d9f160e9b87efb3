using System.Text;

namespace Oie.Net.Tests;

/// <summary>Random legal spellings of an IPv6 address, and random mutations of any text.</summary>
internal static class Spellings
{
    private const string Alphabet = "0123456789abcdefABCDEFgx:.%[]/ +-\t";

    /// <summary>Any case per digit, leading zeros or not per group, an optional dotted IPv4 tail, and <c>::</c> over
    /// any run of zero groups (not only the longest) or none.</summary>
    public static string SpellV6(UInt128 value, Random random)
    {
        var groups = new ushort[8];
        for (int i = 0; i < 8; i++)
        {
            groups[i] = (ushort)(value >> (112 - (16 * i)));
        }

        bool tail = random.Next(4) == 0;
        int hexGroups = tail ? 6 : 8;
        var parts = new List<string>();
        for (int i = 0; i < hexGroups; i++)
        {
            parts.Add(SpellGroup(groups[i], random));
        }

        if (tail)
        {
            parts.Add($"{groups[6] >> 8}.{groups[6] & 0xFF}.{groups[7] >> 8}.{groups[7] & 0xFF}");
        }

        (int start, int end)? compress = PickZeroRun(groups, hexGroups, random);
        if (compress is not { } run)
        {
            return string.Join(':', parts);
        }

        return string.Join(':', parts.Take(run.start)) + "::" + string.Join(':', parts.Skip(run.end));
    }

    public static string Mutate(string text, Random random)
    {
        var s = new StringBuilder(text);
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations; m++)
        {
            int at = random.Next(s.Length + 1);
            char c = Alphabet[random.Next(Alphabet.Length)];
            switch (random.Next(8))
            {
                case 0 when s.Length > 0:
                    s.Remove(Math.Min(at, s.Length - 1), 1);
                    break;
                case 1:
                    s.Insert(at, c);
                    break;
                case 2 when s.Length > 0:
                    s[Math.Min(at, s.Length - 1)] = c;
                    break;
                case 3:
                    s.Insert(at, "::");
                    break;
                case 4:
                    s.Length = at;
                    break;
                case 5:
                    int from = random.Next(s.Length + 1);
                    int length = random.Next(s.Length - from + 1);
                    s.Insert(at, s.ToString(from, length));
                    break;
                case 6:
                    s.Append(random.Next(2) == 0 ? "%eth0" : "%1");
                    break;
                default:
                    s.Insert(at, random.Next(3) switch { 0 => "0", 1 => ".", _ => ":" });
                    break;
            }
        }

        return s.ToString();
    }

    private static string SpellGroup(ushort group, Random random)
    {
        string hex = group.ToString(random.Next(2) == 0 ? "x" : "X");
        if (random.Next(3) == 0)
        {
            hex = hex.PadLeft(random.Next(hex.Length, 5), '0');
        }

        if (random.Next(4) == 0)
        {
            hex = string.Concat(hex.Select(ch => random.Next(2) == 0 ? char.ToUpperInvariant(ch) : char.ToLowerInvariant(ch)));
        }

        return hex;
    }

    private static (int, int)? PickZeroRun(ushort[] groups, int hexGroups, Random random)
    {
        var runs = new List<(int, int)>();
        for (int i = 0; i < hexGroups; i++)
        {
            if (groups[i] != 0)
            {
                continue;
            }

            int end = i;
            while (end < hexGroups && groups[end] == 0)
            {
                end++;
            }

            int start = random.Next(i, end);
            runs.Add((start, random.Next(start + 1, end + 1)));
            i = end;
        }

        if (runs.Count == 0 || random.Next(5) == 0)
        {
            return null;
        }

        return runs[random.Next(runs.Count)];
    }
}
