namespace Oie.Generators.Tests;

/// <summary>plugins.json texts shared by the tests.</summary>
internal static class TestPlugins
{
    public const string Typical = """
        {
          "collectors": [
            { "name": "cpu",     "default": true,  "type": "Oie.Collectors.Cpu.CpuCollector",         "project": "src/Oie.Collectors.Cpu/Oie.Collectors.Cpu.csproj" },
            { "name": "disk",    "default": true,  "type": "Oie.Collectors.Disk.DiskCollector",       "project": "src/Oie.Collectors.Disk/Oie.Collectors.Disk.csproj" },
            { "name": "network", "default": false, "type": "Oie.Collectors.Network.NetworkCollector", "project": "src/Oie.Collectors.Network/Oie.Collectors.Network.csproj" }
          ]
        }
        """;

    /// <summary>One collector entry with the given type and name, everything else valid.</summary>
    public static string One(string type, string name = "x") =>
        $$"""{ "collectors": [ { "name": "{{name}}", "default": true, "type": "{{type}}" } ] }""";
}
