using Microsoft.Extensions.Logging;
using Oie.Libvirt;

namespace Oie.Libvirt.Tests;

/// <summary>The formatted lines the source (or its job reader) logged, at every level.</summary>
internal sealed class LogLines : ILogger<LibvirtInstanceSource>
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue(formatter(state, exception));

    public bool IsEnabled(LogLevel logLevel) => true;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
}
