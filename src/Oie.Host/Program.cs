using Microsoft.Extensions.Logging.Abstractions;
using Oie.Abstractions;
using Oie.Generated;
using Oie.Host;
using Oie.Host.CommandLine;

var commandLine = new ExporterCommandLine(PluginRegistry.Collectors, PluginRegistry.Feeds);
var parsed = commandLine.Parse(args);
if (parsed.HelpRequested)
{
    // Go's flag package prints usage to stderr and exits 0.
    commandLine.WriteUsage(Console.Error);
    return 0;
}
if (!parsed.Success)
{
    Console.Error.WriteLine(parsed.Error);
    Console.Error.WriteLine("Run with -h to list every flag.");
    return 2;
}
// A feed refusing its flags (an enabled custom list without a path) is a usage error too.
if (!commandLine.TryCreateFeeds(
        new PluginContext(NullLoggerFactory.Instance, TimeProvider.System, commandLine.Host.CollectionInterval.Value), out var feeds, out var feedError))
{
    Console.Error.WriteLine(feedError);
    Console.Error.WriteLine("Run with -h to list every flag.");
    return 2;
}

try
{
    await using var app = ExporterApp.Build(commandLine, TimeProvider.System, feeds);
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
