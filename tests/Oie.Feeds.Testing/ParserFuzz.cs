using System.Text;
using CsCheck;
using Oie.Abstractions;

namespace Oie.Feeds.Testing;

/// <summary>
/// Throws random and mutated bodies at a feed's parser, which must never throw and must always leave the builder
/// consistent. Fixed seeds keep every run identical; the iteration counts keep each run to a second or two.
/// </summary>
public static class ParserFuzz
{
    public const string Seed = "0N0XIzNsQ0O2";

    /// <summary>Fragments that steer mutations into the parsers' interesting paths.</summary>
    private static readonly byte[][] Tokens =
    [
        .. new[]
        {
            "{", "}", "[", "]", "\"", ":", ",", "/", "\n", "\r\n", ";", "#", " ", "\\", "\\u0041", "\\ud800", "::", ".", "%",
            "255.255.255.255", "0.0.0.0/0", "::/0", "/129", "/33", "[::1]:9001", "1.2.3.4:65536", "ffff:", "\"cidr\":",
            "\"relays\":[", "\"or_addresses\":[", "\"exit_addresses\":[\"", "{\"type\":\"metadata\"}", "\uFEFF", "null", "1e999",
        }.Select(Encoding.UTF8.GetBytes),
        [0], [0xFF], [0xC3], [0xEF, 0xBB, 0xBF],
    ];

    private static readonly Gen<(int Kind, int Position, int Length, int Token)> Mutation =
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, int.MaxValue], Gen.Int[1, 64], Gen.Int[0, Tokens.Length - 1]);

    /// <summary>1 to 8 mutations (flip, insert, delete, truncate, token, duplicate) of one of <paramref name="seeds"/>.</summary>
    public static Gen<byte[]> Mutations(params byte[][] seeds) =>
        Gen.Select(Gen.Int[0, seeds.Length - 1], Mutation.Array[1, 8], (i, mutations) => Apply(seeds[i], mutations));

    /// <summary>Random bytes, and random sequences of the tokens.</summary>
    public static readonly Gen<byte[]> Noise = Gen.Frequency(
        (1, Gen.Byte.Array[0, 512]),
        (2, Gen.Int[0, Tokens.Length - 1].Array[0, 64].Select(ids => ids.SelectMany(id => Tokens[id]).ToArray())));

    /// <summary>Runs <paramref name="feed"/>'s parser on <paramref name="iterations"/> bodies from <paramref name="bodies"/>.</summary>
    public static void NeverThrows(IThreatFeed feed, Gen<byte[]> bodies, int iterations) =>
        bodies.Sample(body =>
        {
            var entries = new FeedEntriesBuilder();
            feed.Parse(body, feed.Descriptor.Sources[0], entries);
            if (entries.Invalid < 0 || entries.V4.Any(r => r.First > r.Last) || entries.V6.Any(r => r.First > r.Last))
                throw new InvalidOperationException("inconsistent entries");
        }, seed: Seed, iter: iterations, threads: 1);

    private static byte[] Apply(byte[] seed, (int Kind, int Position, int Length, int Token)[] mutations)
    {
        var body = new List<byte>(seed);
        foreach (var (kind, position, length, token) in mutations)
        {
            var at = body.Count == 0 ? 0 : position % body.Count;
            var count = Math.Min(length, body.Count - at);
            switch (kind)
            {
                case 0 when body.Count > 0:
                    body[at] ^= (byte)(1 << (length & 7));
                    break;
                case 1:
                    body.Insert(at, (byte)position);
                    break;
                case 2:
                    body.RemoveRange(at, count);
                    break;
                case 3:
                    body.RemoveRange(at, body.Count - at);
                    break;
                case 4:
                    body.InsertRange(at, Tokens[token]);
                    break;
                case 5:
                    body.InsertRange(at, body.GetRange(at, count));
                    break;
            }
        }
        return [.. body];
    }
}
