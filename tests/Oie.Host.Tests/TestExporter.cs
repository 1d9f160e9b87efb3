using Microsoft.AspNetCore.Builder;
using Oie.Abstractions;
using Oie.Host.CommandLine;
using Oie.Host.Logging;

namespace Oie.Host.Tests;

/// <summary>The exporter composed as Program.cs composes it: its loggers, every plugin once with one context, the app
/// around them (which owns the loggers). Throws <see cref="ArgumentException"/> where Program.cs exits 2.</summary>
internal static class TestExporter
{
    public static WebApplication Build(ExporterCommandLine commandLine, TimeProvider time)
    {
        var loggers = ExporterLoggers.Create(commandLine.Host.LogLevel.Value, commandLine.Host.LogFormat.Value, time);
        var plugins = commandLine.CreatePlugins(new PluginContext(loggers.Factory, time, commandLine.Host.CollectionInterval.Value));
        return ExporterApp.Build(commandLine, plugins, loggers, time);
    }
}
