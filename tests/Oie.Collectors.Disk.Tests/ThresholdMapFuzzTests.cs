using System.Globalization;
using System.Text;
using CsCheck;
using Oie.Collectors.Disk;
using Oie.Tests;

namespace Oie.Collectors.Disk.Tests;

/// <summary>
/// <see cref="ThresholdMap.Parse"/> (a tolerant flag parser, as Go's parseThresholds: it never fails and never throws,
/// it skips what it cannot read and says so) fed 150k inputs from a fixed seed: 50k generated maps, spelled with random
/// spacing, trailing commas and number formats, that must resolve to exactly the values they were built from with
/// nothing ignored; 50k mutations of them and of the documented examples; 50k random token soups. Nothing may throw; a
/// map only holds finite thresholds, each the last well-formed entry of its type; what was skipped is named.
/// </summary>
public class ThresholdMapFuzzTests
{
    private const int Iterations = 50_000;

    private static readonly string[] Examples =
        ["default:500,local:200,ultra:2500", "default:400,ultra:1000", "local:200", "ultra:1", "", "default:500,", " ceph-ssd : 1e3 "];

    private static readonly string[] Tokens =
    [
        ",", ":", " ", "\t", "default", "local", "ultra", "ceph-ssd", "0", "-0", "-1", "1e308", "1e309", "-1e309", "NaN", "Infinity",
        "-Infinity", "∞", "1.5", ".5", "5.", "0x10", "1_000", "1,5", "+3", "1e-400", "::", ",,", "\u00A0", "\u2028", "٣", "\0",
        "79228162514264337593543950335", new string('9', 400),
    ];

    [Fact]
    public void Generated_maps_resolve_to_their_values_and_nothing_throws()
    {
        long accepted = 0, refused = 0;
        Gen.Int.SampleFixed(seed =>
        {
            var random = new Random(seed);
            var (text, expected) = GenerateMap(random);
            Assert.Null(ThresholdMap.Parse(text, out var map, out var none));
            Assert.Null(none);
            Assert.Equal(expected.Count, map.Count);
            foreach (var (type, value) in expected)
                Assert.Equal(value, map.Resolve(type, -1));
            Assert.Equal(expected.TryGetValue(ThresholdMap.DefaultType, out var byDefault) ? byDefault : -1, map.Resolve("\u0001not-listed", -1));

            var inputs = new[]
            {
                TextMutations.Mutate(random.Next(3) == 0 ? Examples[random.Next(Examples.Length)] : text, random, Tokens),
                TextMutations.Noise(random, Tokens),
            };
            foreach (var input in inputs)
            {
                Assert.Null(ThresholdMap.Parse(input, out var parsed, out var ignored));
                var expectedMap = new Dictionary<string, double>(StringComparer.Ordinal);
                var skipped = false;
                foreach (var entry in input.Split(','))
                {
                    if (entry.Trim().Length == 0)
                        continue;
                    var parts = entry.Trim().Split(':');
                    if (parts.Length != 2 || !double.TryParse(parts[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ||
                        !double.IsFinite(v))
                    {
                        skipped = true;
                        continue;
                    }
                    skipped |= expectedMap.ContainsKey(parts[0].Trim());
                    expectedMap[parts[0].Trim()] = v;
                }
                Assert.Equal(expectedMap.Count, parsed.Count);
                foreach (var (type, value) in expectedMap)
                    Assert.Equal(value, parsed.Resolve(type, double.NaN));
                Assert.Equal(skipped, ignored is not null);
                if (skipped)
                    refused++;
                else
                    accepted++;
            }
        }, iter: Iterations);
        Assert.True(accepted > Iterations / 20 && refused > Iterations / 2, $"whole {accepted}, partly ignored {refused}");
    }

    private const string TypeAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_.ABZé";

    private static (string Text, Dictionary<string, double> Expected) GenerateMap(Random random)
    {
        var expected = new Dictionary<string, double>(StringComparer.Ordinal);
        var text = new StringBuilder();
        for (var n = random.Next(0, 8); n > 0; n--)
        {
            var type = random.Next(4) == 0 ? ThresholdMap.DefaultType
                : new string(random.GetItems(TypeAlphabet.AsSpan(), random.Next(1, 12)));
            if (expected.ContainsKey(type))
                continue;
            var value = random.Next(4) switch
            {
                0 => random.Next(0, 10_000),
                1 => Math.Round(random.NextDouble() * 5000, random.Next(0, 4)),
                2 => random.NextDouble() * Math.Pow(10, random.Next(-300, 300)),
                _ => 0.0,
            };
            var spelled = random.Next(3) switch
            {
                0 => value.ToString("R", CultureInfo.InvariantCulture),
                1 => value.ToString("E17", CultureInfo.InvariantCulture),
                _ => value.ToString(CultureInfo.InvariantCulture),
            };
            expected[type] = double.Parse(spelled, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (text.Length > 0 || random.Next(8) == 0)
                text.Append(',');
            text.Append(Space(random)).Append(type).Append(Space(random)).Append(':').Append(Space(random)).Append(spelled).Append(Space(random));
        }
        if (random.Next(5) == 0)
            text.Append(',').Append(Space(random));
        return (text.ToString(), expected);
    }

    private static string Space(Random random) => random.Next(4) switch
    {
        0 => " ",
        1 => "\t ",
        _ => "",
    };
}
