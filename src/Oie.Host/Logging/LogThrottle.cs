using System.Collections;
using Microsoft.Extensions.Logging;

namespace Oie.Host.Logging;

/// <summary>The bookkeeping of <see cref="ThrottlingLoggerProvider"/>: one entry and one timer per distinct event.</summary>
internal sealed class LogThrottle(TimeProvider time, TimeSpan window, int maxTracked) : IDisposable
{
    private readonly Dictionary<Key, Entry> _entries = [];
    private bool _disposed;

    /// <summary>True when the event is to be written now; false when it is counted as a repeat.</summary>
    public bool Admit<TState>(ILogger inner, string category, LogLevel level, EventId eventId, TState state, Exception? exception, string message)
    {
        var template = state is IReadOnlyList<KeyValuePair<string, object?>> values
            ? values.FirstOrDefault(v => v.Key == LogEvent.OriginalFormat).Value as string
            : null;
        var key = new Key(category, level, eventId.Id, template ?? eventId.Name, message,
            exception is null ? null : exception.GetType().FullName + ": " + exception.Message);
        lock (_entries)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                entry.Suppressed++;
                return false;
            }
            // Beyond the cap (messages that embed ever-changing values) events go through untracked rather than unbounded.
            if (_disposed || _entries.Count >= maxTracked)
                return true;
            entry = new Entry(this, key, inner, eventId, Snapshot(state), exception);
            entry.Timer = time.CreateTimer(static e => ((Entry)e!).Owner.WindowEnded((Entry)e!), entry, window, Timeout.InfiniteTimeSpan);
            _entries.Add(key, entry);
            return true;
        }
    }

    private void WindowEnded(Entry entry)
    {
        int suppressed;
        lock (_entries)
        {
            if (_disposed || !_entries.TryGetValue(entry.Key, out var current) || current != entry)
                return;
            suppressed = entry.Suppressed;
            entry.Suppressed = 0;
            if (suppressed == 0)
            {
                _entries.Remove(entry.Key);
                entry.Timer?.Dispose();
                return;
            }
            entry.Timer?.Change(window, Timeout.InfiniteTimeSpan);
        }
        WriteRepeated(entry, suppressed);
    }

    /// <summary>Ends every window of <paramref name="category"/> (writing the repeats it counted), so its next event is
    /// written at once.</summary>
    public void EndWindows(string category)
    {
        List<(Entry Entry, int Suppressed)> pending;
        lock (_entries)
        {
            var ended = _entries.Values.Where(e => e.Key.Category == category).ToList();
            if (ended.Count == 0)
                return;
            pending = [.. ended.Where(e => e.Suppressed > 0).Select(e => (e, e.Suppressed))];
            foreach (var entry in ended)
            {
                entry.Timer?.Dispose();
                _entries.Remove(entry.Key);
            }
        }
        foreach (var (entry, suppressed) in pending)
            WriteRepeated(entry, suppressed);
    }

    /// <summary>Writes the pending counts (at shutdown) so no suppressed repeat goes unreported.</summary>
    public void Dispose()
    {
        List<(Entry Entry, int Suppressed)> pending;
        lock (_entries)
        {
            if (_disposed)
                return;
            _disposed = true;
            pending = [.. _entries.Values.Where(e => e.Suppressed > 0).Select(e => (e, e.Suppressed))];
            foreach (var entry in _entries.Values)
                entry.Timer?.Dispose();
            _entries.Clear();
        }
        foreach (var (entry, suppressed) in pending)
            WriteRepeated(entry, suppressed);
    }

    private static void WriteRepeated(Entry entry, int suppressed) =>
        entry.Logger.Log(entry.Key.Level, entry.EventId, new RepeatedState(entry.Fields, entry.Key.Message, suppressed),
            entry.Exception, static (s, _) => s.Message);

    private static KeyValuePair<string, object?>[] Snapshot<TState>(TState state) =>
        state is IReadOnlyList<KeyValuePair<string, object?>> values ? [.. values] : [];

    private readonly record struct Key(string Category, LogLevel Level, int EventId, string? Template, string Message, string? Error);

    private sealed class Entry(LogThrottle owner, Key key, ILogger logger, EventId eventId, KeyValuePair<string, object?>[] fields, Exception? exception)
    {
        public LogThrottle Owner { get; } = owner;
        public Key Key { get; } = key;
        public ILogger Logger { get; } = logger;
        public EventId EventId { get; } = eventId;
        public KeyValuePair<string, object?>[] Fields { get; } = fields;
        public Exception? Exception { get; } = exception;
        public int Suppressed { get; set; }
        public ITimer? Timer { get; set; }
    }

    /// <summary>The original event's named values plus <c>repeated</c>.</summary>
    internal sealed class RepeatedState(KeyValuePair<string, object?>[] fields, string message, int repeated)
        : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;
        public int Count => fields.Length + 1;

        public KeyValuePair<string, object?> this[int index] =>
            index == fields.Length ? new("repeated", repeated) : fields[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
                yield return this[i];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }
}
