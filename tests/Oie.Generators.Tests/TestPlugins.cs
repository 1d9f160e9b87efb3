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

    /// <summary>The repository's plugins.json: collectors and feeds.</summary>
    public const string WithFeeds = """
        {
          "collectors": [
            { "name": "cpu",     "default": true,  "type": "Oie.Collectors.Cpu.CpuCollector",         "project": "src/Oie.Collectors.Cpu/Oie.Collectors.Cpu.csproj" },
            { "name": "disk",    "default": true,  "type": "Oie.Collectors.Disk.DiskCollector",       "project": "src/Oie.Collectors.Disk/Oie.Collectors.Disk.csproj" },
            { "name": "network", "default": true,  "type": "Oie.Collectors.Network.NetworkCollector", "project": "src/Oie.Collectors.Network/Oie.Collectors.Network.csproj" }
          ],
          "feeds": [
            { "name": "tor",             "default": false, "type": "Oie.Feeds.Tor.TorFeed",                         "project": "src/Oie.Feeds.Tor/Oie.Feeds.Tor.csproj" },
            { "name": "spamhaus",        "default": false, "type": "Oie.Feeds.Spamhaus.SpamhausFeed",               "project": "src/Oie.Feeds.Spamhaus/Oie.Feeds.Spamhaus.csproj" },
            { "name": "emergingthreats", "default": false, "type": "Oie.Feeds.EmergingThreats.EmergingThreatsFeed", "project": "src/Oie.Feeds.EmergingThreats/Oie.Feeds.EmergingThreats.csproj" },
            { "name": "customlist",      "default": true,  "type": "Oie.Feeds.CustomList.CustomListFeed",           "project": "src/Oie.Feeds.CustomList/Oie.Feeds.CustomList.csproj" }
          ]
        }
        """;

    /// <summary>One feed entry with the given type and name, everything else valid.</summary>
    public static string OneFeed(string type, string name = "x") =>
        $$"""{ "feeds": [ { "name": "{{name}}", "default": false, "type": "{{type}}" } ] }""";

    /// <summary>One collector entry with the given type and name, everything else valid.</summary>
    public static string One(string type, string name = "x") =>
        $$"""{ "collectors": [ { "name": "{{name}}", "default": true, "type": "{{type}}" } ] }""";
}
