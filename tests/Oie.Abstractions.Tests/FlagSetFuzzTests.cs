using System.Globalization;
using System.Text;
using CsCheck;
using Oie.Tests;

namespace Oie.Abstractions.Tests;

/// <summary>
/// <see cref="FlagSet.Parse"/> and <see cref="GoDuration.TryParse"/> fed generated inputs from a fixed seed.
/// 40k valid command lines (every flag kind, every Go spelling: one or two dashes, <c>=value</c> or a separate value,
/// bare booleans, repeats where the last wins) must set exactly the generated values; 40k mutated command lines and
/// 40k random ones (dashes, equals, known and unknown names, help, good and bad values) must never throw and must give
/// exactly one of Ok, Help or Fail, a failure on a known flag naming it. 100k generated durations must read as the
/// nanoseconds they spell, and 100k mutated ones must never throw.
/// </summary>
public class FlagSetFuzzTests
{
    private const int Iterations = 40_000;

    private sealed record Flags(FlagSet Set, Flag<string> Text, Flag<bool> Enable, Flag<int> Min, Flag<double> Cpu, Flag<TimeSpan> Interval, Flag<int[]> List);

    private static Flags Create()
    {
        var set = new FlagSet();
        return new Flags(set, set.String("web.listen-address", ":9120", "addr"), set.Bool("tor.enable", false, "tor"),
            set.Int("conntrack.min", 20, "min"), set.Double("cpu.min", 10.0, "cpu"),
            set.Duration("collection.interval", TimeSpan.FromSeconds(10), "interval"),
            set.Custom<int[]>("ports", "", "ports", ParsePorts));
    }

    /// <summary>A custom parser, like ThresholdMap: comma-separated ports.</summary>
    private static string? ParsePorts(string text, out int[] value)
    {
        value = [];
        if (text.Length == 0)
            return null;
        var ports = new List<int>();
        foreach (var part in text.Split(','))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                return $"\"{part}\" is not a port";
            ports.Add(port);
        }
        value = [.. ports];
        return null;
    }

    private static readonly string[] Names = ["web.listen-address", "tor.enable", "conntrack.min", "cpu.min", "collection.interval", "ports"];

    private static readonly string[] Tokens =
    [
        "-", "--", "---", "=", "==", "h", "help", "-h", "--help", "-help", "true", "false", "T", "yes", "0", "1", "-1", "2147483648",
        "1e309", "NaN", "10s", "1m30s", "1.5h", "0s", "-5s", "10", "µs", "1ns", "9999999999999h", ".", "..s", "\0", " ", "é",
        .. Names, "web", "enable", "tor.enable.x", "ports=80,443", "80,,443", "65536",
    ];

    [Fact]
    public void Valid_command_lines_set_exactly_their_values()
    {
        Gen.Int.SampleFixed(seed =>
        {
            var random = new Random(seed);
            var f = Create();
            var args = new List<string>();
            string text = ":9120";
            bool enable = false;
            int min = 20;
            double cpu = 10.0;
            TimeSpan interval = TimeSpan.FromSeconds(10);
            int[] ports = [];
            for (var n = random.Next(0, 10); n > 0; n--)
            {
                var name = Names[random.Next(Names.Length)];
                string value;
                switch (name)
                {
                    case "web.listen-address":
                        value = text = TextMutations.Noise(random, Tokens);
                        break;
                    case "tor.enable":
                        enable = random.Next(2) == 0;
                        if (enable && random.Next(2) == 0)
                        {
                            args.Add(Dashes(random) + name); // bare
                            continue;
                        }
                        value = random.GetItems(enable ? new[] { "1", "t", "T", "true", "TRUE", "True" } : ["0", "f", "F", "false", "FALSE", "False"], 1)[0];
                        if (!value.Equals("true", StringComparison.Ordinal) && !value.Equals("false", StringComparison.Ordinal) || random.Next(2) == 0)
                        {
                            args.Add(Dashes(random) + name + "=" + value); // a boolean takes its value only after '='
                            continue;
                        }
                        break;
                    case "conntrack.min":
                        min = random.Next(int.MinValue, int.MaxValue);
                        value = min.ToString(CultureInfo.InvariantCulture);
                        break;
                    case "cpu.min":
                        cpu = random.NextDouble() * Math.Pow(10, random.Next(-20, 20)) * (random.Next(2) == 0 ? -1 : 1);
                        value = cpu.ToString("R", CultureInfo.InvariantCulture);
                        break;
                    case "collection.interval":
                        decimal ns;
                        do
                            (value, ns) = Duration(random, positive: true);
                        while (ns / 100m >= long.MaxValue);
                        interval = TimeSpan.FromTicks((long)(ns / 100m));
                        break;
                    default:
                        ports = [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(1, 65536))];
                        value = string.Join(',', ports);
                        break;
                }
                if (name == "tor.enable" || random.Next(2) == 0 || value.StartsWith('-'))
                {
                    args.Add(Dashes(random) + name + "=" + value);
                }
                else
                {
                    args.Add(Dashes(random) + name);
                    args.Add(value);
                }
            }

            var result = f.Set.Parse(args);
            Assert.True(result.Success, $"{string.Join(' ', args)}: {result.Error}");
            Assert.Equal(text, f.Text.Value);
            Assert.Equal(enable, f.Enable.Value);
            Assert.Equal(min, f.Min.Value);
            Assert.Equal(cpu, f.Cpu.Value);
            Assert.Equal(interval, f.Interval.Value);
            Assert.Equal(ports, f.List.Value);
        }, iter: Iterations);
    }

    [Fact]
    public void Mutated_and_random_command_lines_never_throw_and_fail_naming_the_flag()
    {
        long ok = 0, help = 0, failed = 0;
        Gen.Int.SampleFixed(seed =>
        {
            var random = new Random(seed);
            var valid = new List<string>();
            for (var n = random.Next(1, 6); n > 0; n--)
                valid.Add(Dashes(random) + Names[random.Next(Names.Length)] + "=" + Tokens[random.Next(Tokens.Length)]);
            var mutated = TextMutations.Mutate(string.Join('\n', valid), random, Tokens).Split('\n');
            var soup = Enumerable.Range(0, random.Next(0, 8)).Select(_ => TextMutations.Noise(random, Tokens)).ToArray();
            foreach (var args in new[] { mutated, soup })
            {
                var f = Create();
                var result = f.Set.Parse(args);
                if (result.Success)
                {
                    Assert.Null(result.Error);
                    Assert.All(result.Notices, notice => Assert.False(string.IsNullOrWhiteSpace(notice.Message)));
                    ok++;
                }
                else if (result.HelpRequested)
                {
                    Assert.Null(result.Error);
                    help++;
                }
                else
                {
                    Assert.False(string.IsNullOrEmpty(result.Error));
                    if (result.Error.StartsWith("invalid value", StringComparison.Ordinal) || result.Error.StartsWith("flag needs an argument", StringComparison.Ordinal))
                        Assert.Contains(Names, name => result.Error.Contains(" -" + name, StringComparison.Ordinal));
                    failed++;
                }
                // a flag left unset keeps its default
                if (!f.Min.IsSet)
                    Assert.Equal(20, f.Min.Value);
                Assert.True(f.Interval.Value > TimeSpan.Zero);
                Assert.True(double.IsFinite(f.Cpu.Value));
            }
        }, iter: Iterations);
        Assert.True(ok > Iterations / 100 && help > 10 && failed > Iterations / 2, $"ok {ok}, help {help}, failed {failed}");
    }

    private static readonly (string Unit, decimal Ns)[] Units =
        [("ns", 1m), ("us", 1_000m), ("µs", 1_000m), ("μs", 1_000m), ("ms", 1_000_000m), ("s", 1_000_000_000m), ("m", 60_000_000_000m), ("h", 3_600_000_000_000m)];

    /// <summary>A Go duration and the nanoseconds it spells, below the parser's 10^9 h ceiling.</summary>
    private static (string Text, decimal Ns) Duration(Random random, bool positive)
    {
        var text = new StringBuilder();
        decimal ns = 0;
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var (unit, unitNs) = Units[random.Next(Units.Length)];
            var whole = random.Next(20) == 0 ? random.Next(0, 1_000_000_000) : random.Next(0, random.Next(2) == 0 ? 100 : 100_000);
            var fraction = random.Next(3) == 0 ? random.Next(0, 1000) : -1;
            var number = fraction < 0 ? whole.ToString(CultureInfo.InvariantCulture) : $"{whole}.{fraction:D3}";
            text.Append(number).Append(unit);
            ns += decimal.Parse(number, CultureInfo.InvariantCulture) * unitNs;
        }
        if (positive && ns < 100)
        {
            text.Append("1s");
            ns += 1_000_000_000m;
        }
        else if (!positive && random.Next(3) == 0)
        {
            text.Insert(0, '-');
            ns = -ns;
        }
        return (text.ToString(), ns);
    }

    [Fact]
    public void Durations_read_as_they_spell_round_trip_and_mutations_never_throw()
    {
        Gen.Int.SampleFixed(seed =>
        {
            var random = new Random(seed);
            var (text, ns) = Duration(random, positive: false);
            if (Math.Abs(ns) / 100m >= long.MaxValue)
            {
                Assert.False(GoDuration.TryParse(text, out _), text); // beyond what a TimeSpan holds
                return;
            }
            Assert.True(GoDuration.TryParse(text, out var value), text);
            var ticks = (long)(Math.Abs(ns) / 100m);
            Assert.Equal(TimeSpan.FromTicks(ns < 0 ? -ticks : ticks), value);
            Assert.True(GoDuration.TryParse(GoDuration.Format(value), out var again), GoDuration.Format(value));
            Assert.Equal(value, again);

            var mutated = TextMutations.Mutate(text, random, Tokens);
            _ = GoDuration.TryParse(mutated, out _);
            _ = FlagParsers.PositiveDuration(mutated, out _);
        }, iter: 100_000);
    }

    /// <summary>Found by the fuzzer: below the 10^9 h ceiling but beyond TimeSpan, TryParse threw OverflowException.</summary>
    [Theory]
    [InlineData("999999999h")]
    [InlineData("256204779h")]
    [InlineData("-999999999h")]
    [InlineData("999999999h999999999h")]
    public void Durations_beyond_a_TimeSpan_are_refused_not_thrown(string text)
    {
        Assert.False(GoDuration.TryParse(text, out _));
        Assert.Contains("-collection.interval", Create().Set.Parse(["-collection.interval=" + text]).Error, StringComparison.Ordinal);
    }

    private static string Dashes(Random random) => random.Next(2) == 0 ? "-" : "--";
}
