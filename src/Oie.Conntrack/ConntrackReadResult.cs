namespace Oie.Conntrack;

/// <summary>What one read of a conntrack table saw. <c>Lines == Flows + Malformed</c> always: blank lines and the
/// tool's "N flow entries have been shown." summary are not entries and are not counted at all.</summary>
/// <param name="Lines">Entry lines seen (for a ctnetlink dump: entry messages).</param>
/// <param name="Flows">Lines parsed into a flow and handed to the sink.</param>
/// <param name="Malformed">Lines skipped: unparsable header, missing or bad src/dst, mixed families, longer than
/// <see cref="ConntrackTableReader.MaxLineLength"/>.</param>
public readonly record struct ConntrackReadResult(long Lines, long Flows, long Malformed);
