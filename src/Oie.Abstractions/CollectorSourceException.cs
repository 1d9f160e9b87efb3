namespace Oie.Abstractions;

/// <summary>
/// Thrown by a collector whose own input (a tool it runs, a file it reads) failed this cycle. The host discards what the
/// collector wrote this cycle (stale counts are never presented as fresh), counts the failure in
/// <c>oie_exporter_collection_errors_total{source=Source}</c> and logs the message once per distinct failure.
/// </summary>
public sealed class CollectorSourceException : Exception
{
    public CollectorSourceException(string source, string message, Exception? inner = null, bool alreadyReported = false)
        : base(message, inner)
    {
        Source = source;
        AlreadyReported = alreadyReported;
    }

    /// <summary>The error source label, e.g. <c>conntrack</c>.</summary>
    public new string Source { get; }

    /// <summary>The host read that source itself and has already counted and logged the failure (the conntrack table
    /// is read once for every collector that uses it): the collector's samples are discarded, nothing more.</summary>
    public bool AlreadyReported { get; }
}
