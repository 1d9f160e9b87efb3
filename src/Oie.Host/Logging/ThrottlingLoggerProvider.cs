using Microsoft.Extensions.Logging;

namespace Oie.Host.Logging;

/// <summary>
/// Wraps a provider so that an identical event (same category, level, event id, template, rendered message and error) at
/// Warning or above is written once per <c>window</c>. When a window in which it was suppressed ends, the event is written
/// again with <c>repeated=N</c> (how many were suppressed) and a new window starts; a window without repeats just ends.
/// Two kinds of event are marked by their event name: an <see cref="AuditEventName"/> event (an operator's action, such
/// as a log level change) is never throttled; an event whose name starts with <see cref="RecoveredEventName"/> (a source working again) ends the
/// windows of its category, so a failure that comes back soon after is written at once rather than counted.
/// </summary>
internal sealed class ThrottlingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    public const string AuditEventName = "audit";
    public const string RecoveredEventName = "recovered";

    private readonly ILoggerProvider _inner;
    private readonly LogThrottle _throttle;

    public ThrottlingLoggerProvider(ILoggerProvider inner, TimeProvider time, TimeSpan window, int maxTracked = 1024)
    {
        _inner = inner;
        _throttle = new LogThrottle(time, window, maxTracked);
    }

    public ILogger CreateLogger(string categoryName) => new ThrottlingLogger(categoryName, _inner.CreateLogger(categoryName), _throttle);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (_inner is ISupportExternalScope scoped)
            scoped.SetScopeProvider(scopeProvider);
    }

    public void Dispose()
    {
        _throttle.Dispose();
        _inner.Dispose();
    }

    private sealed class ThrottlingLogger(string category, ILogger inner, LogThrottle throttle) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name is { } name && name.StartsWith(RecoveredEventName, StringComparison.Ordinal))
                throttle.EndWindows(category);
            if (logLevel >= LogLevel.Warning && logLevel != LogLevel.None && eventId.Name != AuditEventName &&
                !throttle.Admit(inner, category, logLevel, eventId, state, exception, formatter(state, exception)))
            {
                return;
            }

            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
