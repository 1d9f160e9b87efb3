using Oie.Abstractions;

namespace Oie.Conntrack.Reading;

/// <summary><c>-conntrack.source</c>: how the table is read when no <c>-conntrack.path</c> is given.</summary>
public enum ConntrackSourceKind
{
    /// <summary>Run the conntrack tool (<c>-conntrack.command</c>) and parse its text, as the seed does.</summary>
    Cli,

    /// <summary>Dump the table over a NETLINK_NETFILTER socket (ctnetlink) and parse the messages.</summary>
    Netlink,

    /// <summary>Dump once, then follow ctnetlink's NEW and DESTROY events (a dump again after a loss or
    /// <c>-conntrack.events.resync</c>).</summary>
    Events,
}

/// <summary>How the host reads the conntrack table once per cycle, resolved against the collection interval.</summary>
public sealed record ConntrackSourceOptions
{
    public const string DefaultMaxPath = "/proc/sys/net/netfilter/nf_conntrack_max";

    /// <summary><c>-conntrack.path</c>: read this file each cycle instead of running the tool; empty runs the tool.</summary>
    public string Path { get; init; } = "";

    /// <summary><c>-conntrack.source</c>; <see cref="Path"/>, when set, takes the place of the tool.</summary>
    public ConntrackSourceKind Source { get; init; } = ConntrackSourceKind.Cli;

    /// <summary><c>-conntrack.netns</c>: the netlink or events source's network namespace (/run/netns/NAME); empty = own.</summary>
    public string Netns { get; init; } = "";

    /// <summary><c>-conntrack.events.resync</c>: how often the events source rebuilds its table from a dump even
    /// when no event was lost (bounds any drift).</summary>
    public TimeSpan EventsResync { get; init; } = ConntrackSourceFlags.DefaultEventsResync;

    /// <summary><c>-conntrack.command</c> as argv: the program and the arguments that go before <c>-L …</c>.</summary>
    public IReadOnlyList<string> Command { get; init; } = ["conntrack"];

    /// <summary>The resolved deadline for reading the table once (greater than zero, shorter than the interval).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Where the table's size is read from (net.netfilter.nf_conntrack_max).</summary>
    public string MaxPath { get; init; } = DefaultMaxPath;

    public bool ReadsFile => Path.Length > 0;
}

/// <summary>The table source's command-line flags; <see cref="Resolve"/> turns them into <see cref="ConntrackSourceOptions"/>.</summary>
public sealed class ConntrackSourceFlags
{
    /// <summary>Share of the collection interval the table read may take when <c>-conntrack.timeout</c> is 0.</summary>
    public const double DefaultTimeoutShare = 0.8;

    public static readonly TimeSpan DefaultEventsResync = TimeSpan.FromMinutes(10);

    private readonly Flag<string> _path;
    private readonly Flag<ConntrackSourceKind> _source;
    private readonly Flag<string> _netns;
    private readonly Flag<string[]> _command;
    private readonly Flag<TimeSpan> _timeout;
    private readonly Flag<TimeSpan> _eventsResync;

    public ConntrackSourceFlags(FlagSet flags)
    {
        _path = flags.String("conntrack.path", "",
            "Read conntrack entries from this file each cycle instead of running -conntrack.command\n" +
            "(a saved \"conntrack -L -o extended\" capture, or /proc/net/nf_conntrack); not with -conntrack.source=netlink.");
        _source = flags.Custom<ConntrackSourceKind>("conntrack.source", "cli",
            "How the kernel table is read: cli runs -conntrack.command and parses its text;\n" +
            "netlink dumps it over a NETLINK_NETFILTER socket (no process, no text; needs CAP_NET_ADMIN);\n" +
            "events dumps it once and follows ctnetlink's NEW/DESTROY events (needs net.netfilter.nf_conntrack_events=1).",
            ParseSource);
        _netns = flags.Custom<string>("conntrack.netns", "",
            "With -conntrack.source=netlink or events: read the table of the network namespace /run/netns/NAME\n" +
            "(as \"ip netns exec NAME\" would); empty reads the exporter's own namespace.",
            ParseNetns);
        _command = flags.Custom<string[]>("conntrack.command", "conntrack",
            "The conntrack tool, split on whitespace and run without a shell as COMMAND -L -o extended -f ipv4,\n" +
            "then -f ipv6; wrap it to read another namespace, e.g. \"ip netns exec NS conntrack\".",
            FlagParsers.Command("conntrack", "conntrack or \"ip netns exec NS conntrack\""));
        _timeout = flags.Custom<TimeSpan>("conntrack.timeout", "0s",
            "Deadline for reading the conntrack table once per cycle; the tool is killed when it passes.\n" +
            "0 means 80% of -collection.interval; must be shorter than the interval.",
            ParseTimeout);
        _eventsResync = flags.Custom<TimeSpan>("conntrack.events.resync", "10m",
            "With -conntrack.source=events: rebuild the table from a full dump this often even when no event was lost\n" +
            "(a lost event always rebuilds it at once).",
            ParseResync);
    }

    public ConntrackSourceOptions Resolve(TimeSpan collectionInterval)
    {
        var timeout = _timeout.Value == TimeSpan.Zero ? collectionInterval * DefaultTimeoutShare : _timeout.Value;
        if (timeout >= collectionInterval)
        {
            throw new InvalidOperationException(
                $"-conntrack.timeout={GoDuration.Format(timeout)} must be shorter than -collection.interval=" +
                $"{GoDuration.Format(collectionInterval)} (0 means 80% of the interval)");
        }

        ThrowIfContradictory();
        return new ConntrackSourceOptions
        {
            Path = _path.Value,
            Source = _source.Value,
            Netns = _netns.Value,
            Command = _command.Value,
            Timeout = timeout,
            EventsResync = _eventsResync.Value,
        };
    }

    /// <summary>A flag that the chosen source would silently ignore is a mistake in the command line.</summary>
    private void ThrowIfContradictory()
    {
        var netlink = _source.Value is ConntrackSourceKind.Netlink or ConntrackSourceKind.Events;
        var source = $"-conntrack.source={FormatSource(_source.Value)}";
        if (netlink && _path.Value.Length > 0)
        {
            throw new InvalidOperationException(
                $"-conntrack.path reads a saved table and cannot be combined with {source} (drop one of them)");
        }

        if (netlink && _command.IsSet)
        {
            throw new InvalidOperationException(
                $"-conntrack.command runs the tool, which {source} does not use (for another namespace use -conntrack.netns)");
        }

        if (!netlink && _netns.Value.Length > 0)
        {
            throw new InvalidOperationException(
                "-conntrack.netns needs -conntrack.source=netlink or events (the tool reads another namespace through " +
                "-conntrack.command=\"ip netns exec NAME conntrack\")");
        }

        if (_source.Value != ConntrackSourceKind.Events && _eventsResync.IsSet)
            throw new InvalidOperationException("-conntrack.events.resync needs -conntrack.source=events");
    }

    internal static string? ParseSource(string text, out ConntrackSourceKind value)
    {
        (value, var error) = text switch
        {
            "cli" => (ConntrackSourceKind.Cli, (string?)null),
            "netlink" => (ConntrackSourceKind.Netlink, null),
            "events" => (ConntrackSourceKind.Events, null),
            _ => (ConntrackSourceKind.Cli, "must be cli, netlink or events"),
        };
        return error;
    }

    private static string FormatSource(ConntrackSourceKind kind) => kind switch
    {
        ConntrackSourceKind.Netlink => "netlink",
        ConntrackSourceKind.Events => "events",
        _ => "cli",
    };

    internal static string? ParseResync(string text, out TimeSpan value)
    {
        if (!GoDuration.TryParse(text, out value))
            return "parse error (want a duration such as 10m or 1h)";
        return value > TimeSpan.Zero ? null : "must be greater than zero";
    }

    /// <summary>A name under /run/netns, not a path: no '/', not "." or "..".</summary>
    internal static string? ParseNetns(string text, out string value)
    {
        value = text;
        if (text.Length == 0)
            return null;
        if (text is "." or ".." || text.Contains('/', StringComparison.Ordinal) || text.Contains('\0', StringComparison.Ordinal))
            return "must be a network namespace name as `ip netns list` shows it (a name under /run/netns, not a path)";
        return text.Length > 255 ? "must be at most 255 characters" : null;
    }

    internal static string? ParseTimeout(string text, out TimeSpan value)
    {
        if (!GoDuration.TryParse(text, out value))
            return "parse error (want a duration such as 5s or 800ms; 0 means 80% of -collection.interval)";
        return value >= TimeSpan.Zero ? null : "must not be negative";
    }
}
