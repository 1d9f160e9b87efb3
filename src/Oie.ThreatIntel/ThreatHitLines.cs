using System.Globalization;
using Oie.Net;

namespace Oie.ThreatIntel;

/// <summary>
/// The Go exporter's threat-hit lines, which log searches and SIEM rules are built on, written to stderr whatever the
/// log level: <c>2026/12/06 06:30:00 [THREAT] TOR-HIT: domain=… uuid=… ip=… direction=dst</c>. <c>ip</c> is the listed
/// address and <c>direction</c> the side of the conntrack entry it was on (<c>src</c>: it opened the flow).
/// Go wrote one line per instance and feed every cycle; here a contact gets a line in the cycle it begins, and while it
/// goes on at most one line per <see cref="RepeatInterval"/> that ends with <c>cycles=N</c>, the cycles it was seen
/// in since the line before. A cycle without the contact ends it. Not thread-safe: one cycle at a time.
/// </summary>
public sealed class ThreatHitLines(TextWriter output, IReadOnlyList<string> feedTags, TimeProvider time)
{
    public static readonly TimeSpan RepeatInterval = TimeSpan.FromMinutes(1);

    private readonly Dictionary<(string InstanceUuid, int Bit), Contact> _contacts = [];
    private long _cycle;

    /// <summary>Starts a cycle: hits reported until <see cref="EndCycle"/> belong to it.</summary>
    public void BeginCycle() => _cycle++;

    /// <summary>A contact of the instance with an address feed <paramref name="bit"/> lists; only an (instance, feed)'s
    /// first hit in a cycle counts.</summary>
    public void Hit(string domain, string instanceUuid, int bit, IpKey listed, bool outbound)
    {
        var now = time.GetUtcNow();
        if (!_contacts.TryGetValue((instanceUuid, bit), out var contact))
        {
            _contacts[(instanceUuid, bit)] = new Contact { LastCycle = _cycle, LastWritten = now };
            Write(domain, instanceUuid, bit, listed, outbound, cycles: 0);
            return;
        }
        if (contact.LastCycle == _cycle)
            return;
        contact.LastCycle = _cycle;
        contact.CyclesSinceWritten++;
        if (now - contact.LastWritten < RepeatInterval)
            return;
        Write(domain, instanceUuid, bit, listed, outbound, contact.CyclesSinceWritten);
        contact.LastWritten = now;
        contact.CyclesSinceWritten = 0;
    }

    /// <summary>Ends the cycle: a contact it did not see is over, and its next hit is a new contact.</summary>
    public void EndCycle()
    {
        if (_contacts.Count == 0)
            return;
        foreach (var (key, contact) in _contacts)
        {
            if (contact.LastCycle != _cycle)
                _contacts.Remove(key);
        }
    }

    private void Write(string domain, string instanceUuid, int bit, IpKey listed, bool outbound, int cycles)
    {
        // Go's log package: local time, "2006/01/02 15:04:05 ", then the message.
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{time.GetLocalNow():yyyy/MM/dd HH:mm:ss} [THREAT] {feedTags[bit]}-HIT: domain={domain} uuid={instanceUuid} ip={listed} direction={(outbound ? "dst" : "src")}");
        output.Write(cycles > 0 ? $"{line} cycles={cycles}\n" : line + "\n");
        output.Flush();
    }

    private sealed class Contact
    {
        public long LastCycle { get; set; }
        public DateTimeOffset LastWritten { get; set; }
        public int CyclesSinceWritten { get; set; }
    }
}
