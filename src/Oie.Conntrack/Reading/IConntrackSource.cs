using Oie.Abstractions;

namespace Oie.Conntrack.Reading;

/// <summary>Where one cycle's conntrack table comes from: the tool's stdout, a file or a ctnetlink dump.</summary>
internal interface IConntrackSource
{
    /// <summary>How the source is named in logs, e.g. <c>conntrack -L -o extended</c>.</summary>
    string Display { get; }

    /// <summary>
    /// Streams the whole table through <paramref name="sink"/> once, one listing after the other where the source
    /// lists each family apart. A listing that cannot be read, fails, passes <paramref name="deadline"/> or does not
    /// print a conntrack table is reported in its <see cref="ListingRead.Error"/>; the others are still read.
    /// </summary>
    IReadOnlyList<ListingRead> Read(FlowAttribution sink, CancellationToken deadline);

    /// <summary>Why the source rebuilt the table it keeps since the last call (one reason per rebuild); only a
    /// source that keeps a table between reads has any.</summary>
    IReadOnlyList<string> TakeResyncs() => [];
}

/// <summary>One listing of the table: the families it covers, what it read, and why it failed (null when read whole).</summary>
internal readonly record struct ListingRead(ConntrackFamilies Families, ConntrackReadResult Result, string? Error)
{
    public static ListingRead Failed(ConntrackFamilies families, string error) => new(families, default, error);
}

/// <summary>A listing failed: its message is what the operator reads.</summary>
internal sealed class ConntrackSourceException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What makes a read a failure rather than a (possibly empty) table, and the errors it raises.</summary>
internal static class ConntrackReadPolicy
{
    /// <summary>
    /// Output in which at least half the lines are malformed (no well-formed entry outnumbers them) is not a conntrack table (a wrong program, an error
    /// page, a truncated binary file): the listing fails rather than export counts of the few lines that happened to
    /// parse. A few malformed lines among many good ones are skipped and counted (oie_conntrack_malformed_lines).
    /// An empty table (no lines at all) is a valid table.
    /// </summary>
    public static void ThrowIfGarbage(ConntrackReadResult result, string what)
    {
        if (IsGarbage(result))
        {
            throw Error($"{what} printed no conntrack table: at least half of its lines are malformed " +
                        "(want the `conntrack -L -o extended` / /proc/net/nf_conntrack line format)");
        }
    }

    public static bool IsGarbage(ConntrackReadResult result) => result.Malformed > 0 && result.Malformed >= result.Flows;

    /// <summary>A netlink listing (a dump, or the events source's table) whose entries are mostly malformed fails
    /// whole, as garbage text does: that is no table.</summary>
    public static ListingRead NetlinkListing(string display, ConntrackReadResult result) => IsGarbage(result)
        ? ListingRead.Failed(ConntrackFamilies.Both,
            $"{display} returned no usable table: {result.Malformed} of its {result.Lines} entries are malformed")
        : new ListingRead(ConntrackFamilies.Both, result, null);

    public static ConntrackSourceException Error(string message, Exception? inner = null) => new(message, inner);

    /// <summary>Waits for a read that <see cref="ConntrackTableReader.ReadAsync"/> started (the cycle is synchronous).</summary>
    public static ConntrackReadResult Wait(ValueTask<ConntrackReadResult> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
}
