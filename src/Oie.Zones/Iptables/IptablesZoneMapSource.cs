namespace Oie.Zones.Iptables;

/// <summary>
/// Runs <c>COMMAND -t raw</c> (iptables-save by default) and reads the zones of Neutron's raw-table rules. IPv4 only:
/// Neutron writes every zone rule to the IPv4 and the IPv6 raw table alike (IptablesFirewallDriver._add_raw_rule).
/// </summary>
internal sealed class IptablesZoneMapSource(IReadOnlyList<string> command) : IProbingZoneMapSource
{
    /// <summary>The raw table holds a few rules per port; anything near this is not iptables-save.</summary>
    private const int MaxOutputBytes = 16 * 1024 * 1024;

    private readonly string[] _argv = [.. command, "-t", "raw"];

    /// <summary>Told the PID of each child started (for tests).</summary>
    internal Action<int>? Started { get; set; }

    public string Description => $"iptables ({Display} raw-table CT --zone rules)";

    public ZoneBackend Backend => ZoneBackend.Iptables;

    private string Display => $"`{string.Join(' ', _argv)}`";

    public ZoneMap Read(CancellationToken deadline) => Run(deadline, out _);

    public bool TryProbe(CancellationToken deadline, out ZoneMap map)
    {
        map = Run(deadline, out var commentedRules);
        return commentedRules > 0;
    }

    private ZoneMap Run(CancellationToken deadline, out int commentedRules)
    {
        BoundedProcessResult result;
        try
        {
            result = BoundedProcess.Run(_argv, Display, MaxOutputBytes, deadline, Started);
        }
        catch (BoundedProcessException ex)
        {
            throw new ZoneMapException(ex.Failure switch
            {
                BoundedProcessFailure.CannotStart =>
                    $"{ex.Message} (install iptables, or name the tool with -{ZoneFlagNames.IptablesCommand}; -{ZoneFlagNames.Backend} chooses the backend)",
                BoundedProcessFailure.TimedOut =>
                    $"{ex.Message} (is the xtables lock held by another process? the zones are read again next cycle)",
                _ => $"{ex.Message} (-{ZoneFlagNames.IptablesCommand} must name iptables-save)",
            }, ex);
        }
        if (result.ExitCode != 0)
        {
            throw new ZoneMapException(
                $"{Display} exited with status {result.ExitCode}{(result.StderrTail.Length > 0 ? ": " + result.StderrTail : "")}" +
                $" (it must run as root; -{ZoneFlagNames.IptablesCommand} names the tool)");
        }
        return IptablesRawTable.Parse(result.Stdout, out commentedRules);
    }

    public void Dispose()
    {
    }
}
