using System.Globalization;

namespace Oie.Abstractions;

/// <summary>Parses a flag's text; returns null on success or the reason it is invalid.</summary>
public delegate string? FlagParser<T>(string text, out T value);

/// <summary>
/// Parses a flag's text the way the Go exporter did, accepting what it accepted even where it silently dropped part of
/// it: returns null on success or the reason it is invalid (exit 2); on success <paramref name="ignored"/> says what was
/// ignored (an entry skipped, a fallback taken), or is null when nothing was.
/// </summary>
public delegate string? TolerantFlagParser<T>(string text, out T value, out string? ignored);

/// <summary>How loudly a <see cref="FlagNotice"/> is to be logged at start.</summary>
public enum FlagNoticeLevel
{
    Warning,
    Error,
}

/// <summary>Something about an accepted command line the operator should know, logged once at start.</summary>
public sealed record FlagNotice(FlagNoticeLevel Level, string Message);

/// <summary>
/// Command-line flags with Go's <c>flag</c> package syntax, so the seed's command lines keep working:
/// <c>-name=value</c>, <c>-name value</c>, <c>--name=value</c> and bare booleans (<c>-tor.enable</c>).
/// </summary>
public sealed class FlagSet
{
    private readonly Dictionary<string, IFlag> _flags = new(StringComparer.Ordinal);

    public IEnumerable<IFlag> Flags => _flags.Values.OrderBy(f => f.Name, StringComparer.Ordinal);

    public Flag<string> String(string name, string defaultValue, string usage) =>
        Add(new Flag<string>(name, usage, defaultValue, Quote(defaultValue), FlagParsers.String)
        { TypeName = "string", DefaultIsZero = defaultValue.Length == 0 });

    public Flag<bool> Bool(string name, bool defaultValue, string usage) =>
        Add(new Flag<bool>(name, usage, defaultValue, defaultValue ? "true" : "false", FlagParsers.Bool)
        { IsBool = true, TypeName = "", DefaultIsZero = !defaultValue });

    public Flag<int> Int(string name, int defaultValue, string usage) =>
        Add(new Flag<int>(name, usage, defaultValue, defaultValue.ToString(CultureInfo.InvariantCulture), FlagParsers.Int)
        { TypeName = "int", DefaultIsZero = defaultValue == 0 });

    public Flag<double> Double(string name, double defaultValue, string usage) =>
        Add(new Flag<double>(name, usage, defaultValue, defaultValue.ToString(CultureInfo.InvariantCulture), FlagParsers.Double)
        { TypeName = "float", DefaultIsZero = defaultValue == 0 });

    /// <summary>A Go duration (<c>10s</c>, <c>1m30s</c>, <c>1.5h</c>) that must be greater than zero.</summary>
    public Flag<TimeSpan> Duration(string name, TimeSpan defaultValue, string usage) =>
        Add(new Flag<TimeSpan>(name, usage, defaultValue, GoDuration.Format(defaultValue), FlagParsers.PositiveDuration)
        { TypeName = "duration", DefaultIsZero = defaultValue == TimeSpan.Zero });

    /// <summary>A flag with its own parser; <paramref name="defaultText"/> is parsed to give the default value.</summary>
    public Flag<T> Custom<T>(string name, string defaultText, string usage, FlagParser<T> parser)
    {
        if (parser(defaultText, out var value) is { } error)
            throw new ArgumentException($"default of -{name} is invalid: {error}", nameof(defaultText));
        return Add(GoTyped(new Flag<T>(name, usage, value, defaultText, parser)));
    }

    /// <summary>A flag that accepts what the Go exporter accepted, saying (at error level, once at start) what of it
    /// was ignored; <paramref name="defaultText"/> must parse with nothing ignored.</summary>
    public Flag<T> Tolerant<T>(string name, string defaultText, string usage, TolerantFlagParser<T> parser)
    {
        if (parser(defaultText, out var value, out var ignored) is { } error)
            throw new ArgumentException($"default of -{name} is invalid: {error}", nameof(defaultText));
        if (ignored is not null)
            throw new ArgumentException($"default of -{name} ignores part of itself: {ignored}", nameof(defaultText));
        return Add(GoTyped(new Flag<T>(name, usage, value, defaultText, parser)));
    }

    /// <summary>A flag with its own parser as Go's usage would show the Go type behind it: an int, a duration, a float
    /// or else a string (quoted default).</summary>
    private static Flag<T> GoTyped<T>(Flag<T> flag)
    {
        var typeName = typeof(T) == typeof(int) ? "int"
            : typeof(T) == typeof(TimeSpan) ? "duration"
            : typeof(T) == typeof(double) ? "float"
            : "string";
        return typeName == "string"
            ? new Flag<T>(flag, Quote(flag.DefaultText), typeName, flag.DefaultText.Length == 0)
            : new Flag<T>(flag, flag.DefaultText, typeName, EqualityComparer<T>.Default.Equals(flag.Value, default!));
    }

    private Flag<T> Add<T>(Flag<T> flag)
    {
        if (!_flags.TryAdd(flag.Name, flag))
            throw new InvalidOperationException($"flag -{flag.Name} is defined twice");
        return flag;
    }

    public bool TryGet(string name, out IFlag flag) => _flags.TryGetValue(name, out flag!);

    /// <summary>Parses <paramref name="args"/>; on failure the result names the offending flag.</summary>
    public FlagParseResult Parse(IReadOnlyList<string> args)
    {
        var warnings = new List<FlagNotice>();
        var setInOrder = new List<IFlag>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            // Go's flag package stops at "--" (consumed) or at the first argument that is not a flag, and the Go
            // exporter never looked at what was left: start as it did, and say what was ignored.
            if (arg == "--")
            {
                IgnoreRest(args, i + 1, "after \"--\"", warnings);
                break;
            }
            if (arg.Length < 2 || arg[0] != '-')
            {
                IgnoreRest(args, i, "from the first argument that is not a flag", warnings);
                break;
            }
            var body = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg[1..];
            if (body.Length == 0 || body[0] == '-' || body[0] == '=')
                return FlagParseResult.Fail($"bad flag syntax: {arg}");
            var eq = body.IndexOf('=');
            var name = eq < 0 ? body : body[..eq];
            if (!_flags.TryGetValue(name, out var flag))
            {
                if (name is "h" or "help")
                    return FlagParseResult.Help;
                return FlagParseResult.Fail($"flag provided but not defined: -{name}");
            }
            string text;
            if (eq >= 0)
            {
                text = body[(eq + 1)..];
            }
            else if (flag.IsBool && i + 1 < args.Count && IsBoolWord(args[i + 1]))
            {
                // Go's flag package stops at the stray word: the bare boolean is true and the word and everything
                // after it are ignored. Taking the word as the value is what the command line means.
                text = args[++i];
                warnings.Add(new FlagNotice(FlagNoticeLevel.Warning,
                    $"-{name} {text}: took \"{text}\" as the value of -{name}; write -{name}={text} (Go's flag package " +
                    $"stops parsing at \"{text}\", so the Go exporter set -{name} to true and ignored the rest of the command line)"));
            }
            else if (flag.IsBool)
            {
                text = "true";
            }
            else if (i + 1 < args.Count)
            {
                text = args[++i];
            }
            else
            {
                return FlagParseResult.Fail($"flag needs an argument: -{name}");
            }

            if (flag.TrySet(text) is { } error)
                return FlagParseResult.Fail($"invalid value \"{text}\" for flag -{name}: {error}");
            setInOrder.Remove(flag);
            setInOrder.Add(flag);
        }
        // What the final value of each flag ignored (a flag given twice: only the occurrence that counts).
        var notices = new List<FlagNotice>(warnings);
        foreach (var flag in setInOrder)
        {
            if (flag.Ignored is { } ignored)
                notices.Add(new FlagNotice(FlagNoticeLevel.Error, $"-{flag.Name}: {ignored}"));
        }
        return notices.Count == 0 ? FlagParseResult.Ok : FlagParseResult.OkWith(notices);
    }

    private static void IgnoreRest(IReadOnlyList<string> args, int from, string where, List<FlagNotice> notices)
    {
        if (from >= args.Count)
            return;
        var rest = string.Join(' ', args.Skip(from).Select(a => a.Length == 0 || a.Contains(' ') ? "\"" + a + "\"" : a));
        notices.Add(new FlagNotice(FlagNoticeLevel.Error,
            $"ignored the command line {where} on: {rest} (the Go exporter's flag parsing stopped there and ignored " +
            "the rest too; write every flag as -name=value before it, or remove the stray argument)"));
    }

    /// <summary>The words of Go's strconv.ParseBool that cannot be anything but a boolean's value (not 1, 0, t, f).</summary>
    private static bool IsBoolWord(string arg) => arg is "true" or "TRUE" or "True" or "false" or "FALSE" or "False";

    /// <summary>Usage text as Go's <c>flag.PrintDefaults</c> writes it: sorted by name, the value's type after the
    /// name, the default only when it is not the type's zero value, strings' defaults quoted.</summary>
    public void WriteUsage(TextWriter output)
    {
        foreach (var flag in Flags)
        {
            var line = new System.Text.StringBuilder("  -").Append(flag.Name);
            if (flag.TypeName.Length > 0)
                line.Append(' ').Append(flag.TypeName);
            // Go keeps a one-letter boolean's usage on its line; every name here is longer.
            line.Append(line.Length <= 4 ? "\t" : "\n    \t");
            line.Append(flag.Usage.Replace("\n", "\n    \t", StringComparison.Ordinal));
            if (!flag.DefaultIsZero)
                line.Append(" (default ").Append(flag.DefaultText).Append(')');
            output.WriteLine(line.ToString());
        }
    }

    private static string Quote(string text) => "\"" + text + "\"";
}

public interface IFlag
{
    string Name { get; }
    string Usage { get; }
    string DefaultText { get; }

    /// <summary>The value's type as Go's usage names it (<c>string</c>, <c>int</c>, <c>float</c>, <c>duration</c>),
    /// empty for a boolean.</summary>
    string TypeName { get; }

    /// <summary>The default is its type's zero value (false, "", 0), which Go's usage does not print.</summary>
    bool DefaultIsZero { get; }
    bool IsBool { get; }
    bool IsSet { get; }

    /// <summary>What the last accepted text had ignored (a tolerant flag), else null.</summary>
    string? Ignored { get; }

    /// <summary>Returns null when the text was accepted, else why it was not.</summary>
    string? TrySet(string text);
}

public sealed class Flag<T> : IFlag
{
    private readonly TolerantFlagParser<T> _parser;

    internal Flag(string name, string usage, T defaultValue, string defaultText, FlagParser<T> parser)
        : this(name, usage, defaultValue, defaultText, Strict(parser))
    {
    }

    /// <summary>A copy of an unset <paramref name="flag"/> with its usage-facing details replaced.</summary>
    internal Flag(Flag<T> flag, string defaultText, string typeName, bool defaultIsZero)
        : this(flag.Name, flag.Usage, flag.Value, defaultText, flag._parser)
    {
        TypeName = typeName;
        DefaultIsZero = defaultIsZero;
    }

    internal Flag(string name, string usage, T defaultValue, string defaultText, TolerantFlagParser<T> parser)
    {
        Name = name;
        Usage = usage;
        Value = defaultValue;
        DefaultText = defaultText;
        _parser = parser;
    }

    public string Name { get; }
    public string Usage { get; }
    public string DefaultText { get; }
    public string TypeName { get; init; } = "string";
    public bool DefaultIsZero { get; init; }
    public bool IsBool { get; init; }
    public bool IsSet { get; private set; }
    public T Value { get; private set; }
    public string? Ignored { get; private set; }

    public string? TrySet(string text)
    {
        if (_parser(text, out var value, out var ignored) is { } error)
            return error;
        Value = value;
        Ignored = ignored;
        IsSet = true;
        return null;
    }

    private static TolerantFlagParser<T> Strict(FlagParser<T> parser) => (string text, out T value, out string? ignored) =>
    {
        ignored = null;
        return parser(text, out value);
    };

    public override string ToString() => $"-{Name}={Value}";
}

public sealed record FlagParseResult(bool Success, bool HelpRequested, string? Error)
{
    public static readonly FlagParseResult Ok = new(true, false, null);

    /// <summary>Accepted, with what the operator should be told once at start (see <see cref="FlagNotice"/>).</summary>
    public static FlagParseResult OkWith(IReadOnlyList<FlagNotice> notices) => new(true, false, null) { Notices = notices };

    /// <summary>Warnings (a stray boolean value) and errors (what a tolerant flag ignored), in command-line order.</summary>
    public IReadOnlyList<FlagNotice> Notices { get; init; } = [];
    public static readonly FlagParseResult Help = new(false, true, null);
    public static FlagParseResult Fail(string error) => new(false, false, error);
}

public static class FlagParsers
{
    public static string? String(string text, out string value)
    {
        value = text;
        return null;
    }

    /// <summary>Go's strconv.ParseBool.</summary>
    public static string? Bool(string text, out bool value)
    {
        switch (text)
        {
            case "1" or "t" or "T" or "true" or "TRUE" or "True":
                value = true;
                return null;
            case "0" or "f" or "F" or "false" or "FALSE" or "False":
                value = false;
                return null;
            default:
                value = false;
                return "parse error";
        }
    }

    /// <summary>A command line run without a shell: split on whitespace, naming at least the program.</summary>
    /// <param name="program">The program's name, e.g. <c>conntrack</c>.</param>
    /// <param name="example">What to suggest when it is empty, e.g. <c>conntrack or "ip netns exec NS conntrack"</c>.</param>
    public static FlagParser<string[]> Command(string program, string example) => (string text, out string[] argv) =>
    {
        argv = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return argv.Length > 0 ? null : $"must name the {program} program, e.g. {example}";
    };

    public static string? Int(string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) ? null : "parse error";

    public static string? Double(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value)
            ? null
            : "parse error";

    public static string? PositiveDuration(string text, out TimeSpan value)
    {
        if (!GoDuration.TryParse(text, out value))
            return "parse error (want a duration such as 10s, 1m30s or 1h)";
        return value > TimeSpan.Zero ? null : "must be greater than zero";
    }

    /// <summary>A duration of zero or more (flags where 0 stands for a default derived from another flag).</summary>
    public static string? NonNegativeDuration(string text, out TimeSpan value)
    {
        if (!GoDuration.TryParse(text, out value))
            return "parse error (want a duration such as 5s or 800ms)";
        return value >= TimeSpan.Zero ? null : "must not be negative";
    }
}
