using System.Text;

namespace Oie.Tests;

/// <summary>
/// Text mutations for parser fuzz tests (linked into the test projects that need it): 1 to 8 of bit flips, odd
/// characters (NUL, lone surrogates, BOM, non-ASCII), range deletion, truncation, token insertion (the caller's tokens
/// steer into the parser's interesting paths), range and line duplication, line removal and moves, garbage inside a
/// quoted value or element text, and huge values. Driven by a <see cref="Random"/> seeded from CsCheck, so every run
/// is identical.
/// </summary>
internal static class TextMutations
{
    private static readonly string[] Chars =
    [
        "\0", "\t", "\r", "\n", "\r\n", " ", "\uFEFF", "\uFFFE", "\uFFFF", "\uD800", "\uDC00", "\U0001F600", "é", "€", "\u00A0",
        "\u2028", "\"", "'", "<", ">", "&", ":", "#", "-", "=", ",", "\\", "/", "0", "9", ".", "e", "x",
    ];

    public static string Mutate(string seed, Random random, IReadOnlyList<string> tokens)
    {
        var text = new StringBuilder(seed);
        var count = random.Next(4) == 0 ? random.Next(1, 9) : random.Next(1, 3); // mostly near-misses, sometimes wrecks
        for (var m = 0; m < count; m++)
        {
            var at = text.Length == 0 ? 0 : random.Next(text.Length);
            var length = Math.Min(random.Next(1, 65), text.Length - at);
            switch (random.Next(13))
            {
                case 0 when text.Length > 0:
                    text[at] = (char)(text[at] ^ (1 << random.Next(16)));
                    break;
                case 1:
                    text.Insert(at, Chars[random.Next(Chars.Length)]);
                    break;
                case 2:
                    text.Remove(at, length);
                    break;
                case 3:
                    text.Length = at;
                    break;
                case 4:
                case 5:
                    text.Insert(at, tokens[random.Next(tokens.Count)]);
                    break;
                case 6:
                    text.Insert(at, text.ToString(at, length));
                    break;
                case 7:
                {
                    var (start, end) = Line(text, at);
                    text.Insert(start, text.ToString(start, end - start));
                    break;
                }
                case 8:
                {
                    var (start, end) = Line(text, at);
                    text.Remove(start, end - start);
                    break;
                }
                case 9:
                {
                    var (start, end) = Line(text, at);
                    var line = text.ToString(start, end - start);
                    text.Remove(start, end - start);
                    var (to, _) = Line(text, text.Length == 0 ? 0 : random.Next(text.Length));
                    text.Insert(to, line);
                    break;
                }
                case 10:
                {
                    // garbage right inside a quoted value, or right after a tag / key
                    var (a, b) = random.Next(2) == 0 ? ('"', '\'') : ('>', ':');
                    var i = at;
                    while (i < text.Length && text[i] != a && text[i] != b)
                        i++;
                    if (i == text.Length)
                        i = -1;
                    if (i >= 0)
                        text.Insert(i + 1, random.Next(2) == 0 ? tokens[random.Next(tokens.Count)] : Chars[random.Next(Chars.Length)]);
                    break;
                }
                case 11:
                {
                    // a huge value: a token or character repeated up to ~100k characters
                    var unit = random.Next(2) == 0 ? tokens[random.Next(tokens.Count)] : Chars[random.Next(Chars.Length)];
                    var repeat = random.Next(20) == 0 ? 100_000 / Math.Max(1, unit.Length) : random.Next(1, 1_000);
                    text.Insert(at, new StringBuilder(unit.Length * repeat).Insert(0, unit, repeat).ToString());
                    break;
                }
                default:
                    if (text.Length > 0)
                        text.Remove(at, length).Insert(at, tokens[random.Next(tokens.Count)]);
                    break;
            }
        }
        return text.ToString();
    }

    /// <summary>The line holding <paramref name="at"/>, with its newline.</summary>
    private static (int Start, int End) Line(StringBuilder text, int at)
    {
        var start = at;
        while (start > 0 && text[start - 1] != '\n')
            start--;
        var end = at;
        while (end < text.Length && text[end] != '\n')
            end++;
        return (start, Math.Min(end + 1, text.Length));
    }

    /// <summary>Random printable noise and random token sequences.</summary>
    public static string Noise(Random random, IReadOnlyList<string> tokens)
    {
        var text = new StringBuilder();
        var count = random.Next(0, 64);
        for (var i = 0; i < count; i++)
        {
            text.Append(random.Next(3) switch
            {
                0 => (char)random.Next(0, 0x10000),
                1 => Chars[random.Next(Chars.Length)],
                _ => tokens[random.Next(tokens.Count)],
            });
        }
        return text.ToString();
    }
}
