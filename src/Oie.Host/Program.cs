using Oie.Abstractions;
using Oie.Generated;
using Oie.Host;
using Oie.Host.CommandLine;
using Oie.Host.Logging;

// The composition root: parse the flags, create every plugin once, build the object graph around them, run.
var time = TimeProvider.System;
var commandLine = new ExporterCommandLine(PluginRegistry.Collectors, PluginRegistry.Feeds);
var parsed = commandLine.Parse(args);
if (parsed.HelpRequested)
{
    // Go's flag package prints usage to stderr and exits 0.
    commandLine.WriteUsage(Console.Error);
    return 0;
}
if (!parsed.Success)
    return UsageError(parsed.Error!);

var loggers = ExporterLoggers.Create(commandLine.Host.LogLevel.Value, commandLine.Host.LogFormat.Value, time);
// One context for every plugin, collectors and feeds alike. A plugin refusing its flags (an enabled custom list
// without a path) is a usage error, like a flag that does not parse.
if (!commandLine.TryCreatePlugins(new PluginContext(loggers.Factory, time, commandLine.Host.CollectionInterval.Value),
        out var plugins, out var refusal))
{
    loggers.Dispose();
    return UsageError(refusal);
}

try
{
    await using var app = ExporterApp.Build(commandLine, plugins, loggers, time);
    await app.StartAsync();
    // The Go exporter's start line, which scripts and log searches wait for.
    Console.Out.WriteLine($"Beginning to serve on {commandLine.Host.ListenAddress.Value}");
    // The bound addresses, so a port of 0 shows the port the kernel chose.
    foreach (var url in app.Urls)
        Console.Out.WriteLine($"openstack_instance_exporter: serving {url}{commandLine.Host.TelemetryPath.Value}");
    await app.WaitForShutdownAsync();
    return 0;
}
catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidOperationException or Oie.Host.Web.WebConfigException)
{
    Console.Error.WriteLine($"openstack_instance_exporter: cannot start: {StartupError.Describe(ex, commandLine.Host)}");
    return 1;
}
finally
{
    // The app disposes them when it was built; before that (a web config that does not load) nothing else would.
    loggers.Dispose();
}

static int UsageError(string error)
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine("Run with -h to list every flag.");
    return 2;
}
