using Oie.Abstractions;

namespace Oie.Abstractions.Tests;

public class FlagSetTests
{
    private static (FlagSet Set, Flag<string> Name, Flag<bool> Enable, Flag<int> Min, Flag<double> Cpu, Flag<TimeSpan> Interval) Create()
    {
        var set = new FlagSet();
        return (set, set.String("web.listen-address", "0.0.0.0:9120", "addr"), set.Bool("tor.enable", false, "tor"),
            set.Int("conntrack.min", 20, "min"), set.Double("cpu.min", 10.0, "cpu"),
            set.Duration("collection.interval", TimeSpan.FromSeconds(10), "interval"));
    }

    [Theory]
    [InlineData("-web.listen-address=1.2.3.4:1")]
    [InlineData("--web.listen-address=1.2.3.4:1")]
    [InlineData("-web.listen-address", "1.2.3.4:1")]
    [InlineData("--web.listen-address", "1.2.3.4:1")]
    public void Accepts_every_go_value_syntax(params string[] args)
    {
        var f = Create();
        Assert.True(f.Set.Parse(args).Success);
        Assert.Equal("1.2.3.4:1", f.Name.Value);
        Assert.True(f.Name.IsSet);
    }

    [Theory]
    [InlineData(new[] { "-tor.enable" }, true)]
    [InlineData(new[] { "--tor.enable" }, true)]
    [InlineData(new[] { "-tor.enable=false" }, false)]
    [InlineData(new[] { "-tor.enable=true" }, true)]
    [InlineData(new[] { "-tor.enable=1" }, true)]
    [InlineData(new[] { "-tor.enable=F" }, false)]
    public void Booleans_are_bare_or_take_a_value_after_equals(string[] args, bool expected)
    {
        var f = Create();
        Assert.True(f.Set.Parse(args).Success);
        Assert.Equal(expected, f.Enable.Value);
    }

    [Fact]
    public void A_bare_boolean_does_not_swallow_the_next_flag()
    {
        var f = Create();
        Assert.True(f.Set.Parse(["-tor.enable", "-conntrack.min=5"]).Success);
        Assert.True(f.Enable.Value);
        Assert.Equal(5, f.Min.Value);
    }

    /// <summary>Go's flag package stops at a stray word after a bare boolean (the Go exporter then ran with the boolean
    /// true and the rest of the command line ignored); the command line means the word as the value, so it is taken
    /// as such, the flags after it are parsed, and a warning suggests -flag=value.</summary>
    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("TRUE", true)]
    public void A_stray_true_or_false_after_a_boolean_is_its_value_with_a_warning(string word, bool expected)
    {
        var f = Create();
        var result = f.Set.Parse(["-tor.enable", word, "-conntrack.min=5"]);
        Assert.True(result.Success, result.Error);
        Assert.Equal(expected, f.Enable.Value);
        Assert.Equal(5, f.Min.Value);
        var notice = Assert.Single(result.Notices);
        Assert.Equal(FlagNoticeLevel.Warning, notice.Level);
        Assert.StartsWith($"-tor.enable {word}: took \"{word}\" as the value of -tor.enable; write -tor.enable={word}", notice.Message, StringComparison.Ordinal);
    }

    /// <summary>Go's flag package stops at the first argument that is not a flag (or after "--") and the Go exporter
    /// ran with what came before: we start the same way, and say at error level what was ignored.</summary>
    [Theory]
    [InlineData(new[] { "-tor.enable", "1", "-conntrack.min=5" }, "1 -conntrack.min=5", "from the first argument that is not a flag")]
    [InlineData(new[] { "-conntrack.min=7", "stray", "-conntrack.min=5" }, "stray -conntrack.min=5", "from the first argument that is not a flag")]
    [InlineData(new[] { "-conntrack.min=7", "-", "-conntrack.min=5" }, "- -conntrack.min=5", "from the first argument that is not a flag")]
    [InlineData(new[] { "-conntrack.min=7", "--", "-conntrack.min=5", "two words" }, "-conntrack.min=5 \"two words\"", "after \"--\"")]
    public void Parsing_stops_at_a_stray_argument_as_go_did_and_says_what_it_ignored(string[] args, string ignored, string where)
    {
        var f = Create();
        var result = f.Set.Parse(args);
        Assert.True(result.Success, result.Error);
        Assert.Equal(args[0] == "-tor.enable" ? 20 : 7, f.Min.Value);
        Assert.Equal(args[0] == "-tor.enable", f.Enable.Value);
        var notice = Assert.Single(result.Notices);
        Assert.Equal(FlagNoticeLevel.Error, notice.Level);
        Assert.StartsWith($"ignored the command line {where} on: {ignored} (", notice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trailing_double_dash_ignores_nothing() => Assert.Empty(Create().Set.Parse(["-tor.enable", "--"]).Notices);

    [Fact]
    public void A_tolerant_flag_accepts_and_names_what_it_ignored_once_for_its_last_occurrence()
    {
        var set = new FlagSet();
        var flag = set.Tolerant<string>("mode", "a", "mode", (string text, out string value, out string? ignored) =>
        {
            value = text == "a" || text == "b" ? text : "a";
            ignored = value == text ? null : $"\"{text}\" ignored";
            return null;
        });
        var result = set.Parse(["-mode=x", "-mode=y"]);
        Assert.True(result.Success);
        Assert.Equal("a", flag.Value);
        var notice = Assert.Single(result.Notices);
        Assert.Equal(new FlagNotice(FlagNoticeLevel.Error, "-mode: \"y\" ignored"), notice);
        Assert.Empty(set.Parse(["-mode=x", "-mode=b"]).Notices);
    }

    [Fact]
    public void Defaults_hold_when_not_given()
    {
        var f = Create();
        Assert.True(f.Set.Parse([]).Success);
        Assert.Equal("0.0.0.0:9120", f.Name.Value);
        Assert.False(f.Enable.Value);
        Assert.Equal(20, f.Min.Value);
        Assert.Equal(10.0, f.Cpu.Value);
        Assert.Equal(TimeSpan.FromSeconds(10), f.Interval.Value);
        Assert.False(f.Name.IsSet);
    }

    [Theory]
    [InlineData(new[] { "-nope=1" }, "flag provided but not defined: -nope")]
    [InlineData(new[] { "-conntrack.min=abc" }, "invalid value \"abc\" for flag -conntrack.min")]
    [InlineData(new[] { "-cpu.min=ten" }, "-cpu.min")]
    [InlineData(new[] { "-cpu.min=NaN" }, "-cpu.min")]
    [InlineData(new[] { "-tor.enable=yes" }, "-tor.enable")]
    [InlineData(new[] { "-collection.interval=10" }, "-collection.interval")]
    [InlineData(new[] { "-collection.interval=0s" }, "-collection.interval: must be greater than zero")]
    [InlineData(new[] { "-collection.interval=-5s" }, "-collection.interval")]
    [InlineData(new[] { "-conntrack.min" }, "flag needs an argument: -conntrack.min")]
    [InlineData(new[] { "---x" }, "bad flag syntax: ---x")]
    [InlineData(new[] { "-=1" }, "bad flag syntax")]
    public void Bad_input_fails_naming_the_flag(string[] args, string expected)
    {
        var result = Create().Set.Parse(args);
        Assert.False(result.Success);
        Assert.False(result.HelpRequested);
        Assert.Contains(expected, result.Error);
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("-help")]
    [InlineData("--help")]
    public void Help_is_recognised(string arg) => Assert.True(Create().Set.Parse([arg]).HelpRequested);

    [Fact]
    public void The_last_occurrence_wins()
    {
        var f = Create();
        Assert.True(f.Set.Parse(["-conntrack.min=1", "-conntrack.min", "2"]).Success);
        Assert.Equal(2, f.Min.Value);
    }

    /// <summary>Byte for byte what Go's flag.PrintDefaults writes for the same flags: sorted, the type after the name,
    /// no default for a zero value (false), strings' defaults quoted.</summary>
    [Fact]
    public void Usage_is_in_gos_flag_format()
    {
        var f = Create();
        f.Set.String("customlist.path", "", "Path to file with one IP per line (IPv4 or IPv6)");
        var output = new StringWriter { NewLine = "\n" };
        f.Set.WriteUsage(output);
        Assert.Equal("""
              -collection.interval duration
                	interval (default 10s)
              -conntrack.min int
                	min (default 20)
              -cpu.min float
                	cpu (default 10)
              -customlist.path string
                	Path to file with one IP per line (IPv4 or IPv6)
              -tor.enable
                	tor
              -web.listen-address string
                	addr (default "0.0.0.0:9120")

            """, output.ToString());
    }

    [Fact]
    public void Defining_a_flag_twice_is_a_programming_error()
    {
        var set = new FlagSet();
        set.Int("x", 1, "");
        Assert.Throws<InvalidOperationException>(() => set.Int("x", 2, ""));
    }

    [Fact]
    public void Custom_parsers_reject_with_their_reason()
    {
        var set = new FlagSet();
        var even = set.Custom("even", "2", "an even number", static (string text, out int value) =>
            int.TryParse(text, out value) && value % 2 == 0 ? null : "must be even");
        Assert.Equal(2, even.Value);
        var result = set.Parse(["-even=3"]);
        Assert.Equal("invalid value \"3\" for flag -even: must be even", result.Error);
    }
}
