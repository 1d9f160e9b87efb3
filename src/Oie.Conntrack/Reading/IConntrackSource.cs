using Oie.Abstractions;
using Oie.Conntrack;

namespace Oie.Collectors.Conntrack;

/// <summary>Where one cycle's conntrack table comes from: the tool's stdout, a file or a ctnetlink dump.</summary>
internal interface IConntrackSource
{
    /// <summary>
    /// Streams the whole table through <paramref name="sink"/> once. Throws <see cref="CollectorSourceException"/> when
    /// the source cannot be read, fails, passes <paramref name="deadline"/> or does not print a conntrack table.
    /// </summary>
    ConntrackReadResult Read(FlowAttribution sink, CancellationToken deadline);
}

/// <summary>What makes a read a failure rather than a (possibly empty) table, and the errors it raises.</summary>
internal static class ConntrackReadPolicy
{
    public const string Source = "conntrack";

    /// <summary>
    /// Output in which at least half the lines are malformed (no well-formed entry outnumbers them) is not a conntrack table (a wrong program, an error
    /// page, a truncated binary file): the cycle fails rather than export counts of the few lines that happened to
    /// parse. A few malformed lines among many good ones are skipped and counted (oie_conntrack_malformed_lines).
    /// An empty table (no lines at all) is a valid table.
    /// </summary>
    public static void ThrowIfGarbage(ConntrackReadResult result, string what)
    {
        if (IsGarbage(result))
            throw Error($"{what} printed no conntrack table: at least half of its lines are malformed " +
                        "(want the `conntrack -L -o extended` / /proc/net/nf_conntrack line format)");
    }

    public static bool IsGarbage(ConntrackReadResult result) => result.Malformed > 0 && result.Malformed >= result.Flows;

    public static CollectorSourceException Error(string message, Exception? inner = null) => new(Source, message, inner);

    public static ConntrackReadResult Add(ConntrackReadResult a, ConntrackReadResult b) =>
        new(a.Lines + b.Lines, a.Flows + b.Flows, a.Malformed + b.Malformed);

    /// <summary>Waits for a read that <see cref="ConntrackTableReader.ReadAsync"/> started (Collect is synchronous).</summary>
    public static ConntrackReadResult Wait(ValueTask<ConntrackReadResult> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
}
