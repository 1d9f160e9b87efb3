using Oie.Generated;
using Oie.Host;
using Oie.Host.CommandLine;

var commandLine = new ExporterCommandLine(PluginRegistry.Collectors);
var parsed = commandLine.Parse(args);
if (parsed.HelpRequested)
{
    commandLine.WriteUsage(Console.Out);
    return 0;
}
if (!parsed.Success)
{
    Console.Error.WriteLine(parsed.Error);
    Console.Error.WriteLine("Run with -h to list every flag.");
    return 2;
}

try
{
    await using var app = ExporterApp.Build(commandLine, TimeProvider.System);
    await app.StartAsync();
    Console.Out.WriteLine($"openstack_instance_exporter: serving http://{commandLine.Host.ListenAddress.Value}{commandLine.Host.TelemetryPath.Value}");
    await app.WaitForShutdownAsync();
    return 0;
}
catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
{
    Console.Error.WriteLine($"openstack_instance_exporter: cannot start: {ex.Message}");
    return 1;
}
