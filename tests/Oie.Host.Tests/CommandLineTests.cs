using Microsoft.Extensions.DependencyInjection;
using Oie.Abstractions;
using Oie.Generated;
using Oie.Host.CommandLine;

namespace Oie.Host.Tests;

/// <summary>The seed's flags, defaults and command lines are a contract: dashboards, unit files and runbooks use them.</summary>
public class CommandLineTests
{
    private static ExporterCommandLine Create() => new(PluginRegistry.Collectors, PluginRegistry.Feeds);

    public static TheoryData<string, string> SeedFlags => new()
    {
        { "web.listen-address", "\"0.0.0.0:9120\"" },
        { "web.telemetry-path", "\"/metrics\"" },
        { "libvirt.uri", "\"qemu:///system\"" },
        { "read.thresholds", "\"\"" },
        { "write.thresholds", "\"\"" },
        { "default.read.threshold", "100" },
        { "default.write.threshold", "100" },
        { "static.cache.expiration", "1h0m0s" },
        { "dynamic.cache.expiration", "10s" },
        { "collection.interval", "10s" },
        { "log.level", "\"error\"" },
        { "conntrack.min", "20" },
        { "cpu.min", "10" },
        { "tor.enable", "false" },
        { "tor.url", "\"https://onionoo.torproject.org/details?search=flag:exit&fields=or_addresses\"" },
        { "tor.refresh", "1h0m0s" },
        { "spamhaus.enable", "false" },
        { "spamhaus.url", "\"https://www.spamhaus.org/drop/drop.txt\"" },
        { "spamhaus.ipv6.url", "\"https://www.spamhaus.org/drop/dropv6.txt\"" },
        { "spamhaus.refresh", "6h0m0s" },
        { "emergingthreats.enable", "false" },
        { "emergingthreats.url", "\"https://rules.emergingthreats.net/blockrules/compromised-ips.txt\"" },
        { "emergingthreats.refresh", "6h0m0s" },
        { "customlist.enable", "false" },
        { "customlist.path", "\"\"" },
        { "customlist.refresh", "10m0s" },
    };

    [Theory]
    [MemberData(nameof(SeedFlags))]
    public void Every_seed_flag_exists_with_its_default(string name, string defaultText)
    {
        Assert.True(Create().Flags.TryGet(name, out var flag), $"-{name} is missing");
        Assert.Equal(defaultText, flag.DefaultText);
    }

    [Fact]
    public void The_seed_example_execstart_parses_unchanged()
    {
        string[] execStart =
        [
            "-web.listen-address=\"0.0.0.0:9120\"".Replace("\"", ""), "-web.telemetry-path=/metrics", "-libvirt.uri=qemu:///system",
            "-read.thresholds=default:500,local:200,ultra:2500", "-write.thresholds=default:500,local:200,ultra:2500",
            "-default.read.threshold=100", "-default.write.threshold=100", "-collection.interval=10s",
            "-dynamic.cache.expiration=10s", "-conntrack.min=20", "-cpu.min=10", "-tor.enable", "-tor.refresh=1h",
            "-spamhaus.enable", "-spamhaus.refresh=6h", "-emergingthreats.enable", "-emergingthreats.refresh=6h",
            "-customlist.enable", "-customlist.path=/opt/openstack_instance_exporter/custom-ips.txt", "-customlist.refresh=10m",
            "-log.level=info",
        ];
        var commandLine = Create();
        var result = commandLine.Parse(execStart);
        Assert.True(result.Success, result.Error);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, commandLine.Host.LogLevel.Value);
        Assert.Equal(new ListenAddress("0.0.0.0", 9120), commandLine.Host.ListenAddress.Value);
    }

    [Fact]
    public void Every_plugin_gets_a_collector_switch_defaulting_to_plugins_json()
    {
        var commandLine = Create();
        Assert.NotEmpty(PluginRegistry.Collectors);
        foreach (var registration in PluginRegistry.Collectors)
        {
            Assert.True(commandLine.Flags.TryGet("collector." + registration.Name, out var flag));
            Assert.Equal(registration.EnabledByDefault ? "true" : "false", flag.DefaultText);
        }
    }

    [Fact]
    public void A_collector_switched_off_is_not_created()
    {
        var commandLine = Create();
        Assert.True(commandLine.Parse(["-collector.cpu=false"]).Success);
        var names = commandLine.CreatePlugins(new PluginContext(
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TimeProvider.System)).Collectors.Select(c => c.Name).ToList();
        Assert.DoesNotContain("cpu", names);
        Assert.Contains("disk", names);
        Assert.Contains("network", names);
    }

    [Theory]
    [InlineData("-static.cache.expiration=1", "-static.cache.expiration")]
    [InlineData("-log.format=text", "-log.format")]
    [InlineData("-web.debug-log-level.enable=yes", "-web.debug-log-level.enable")]
    [InlineData("-web.listen-address=9120", "-web.listen-address")]
    [InlineData("-web.listen-address=::1:9120", "-web.listen-address")]
    [InlineData("-web.listen-address=host:99999", "-web.listen-address")]
    [InlineData("-web.telemetry-path=metrics", "-web.telemetry-path")]
    [InlineData("-collection.interval=soon", "-collection.interval")]
    [InlineData("-default.read.threshold=lots", "-default.read.threshold")]
    [InlineData("-collector.gpu=false", "-collector.gpu")]
    [InlineData("-tor.url=ftp://mirror.example/tor.json", "-tor.url")]
    [InlineData("-spamhaus.ipv6.url=gopher://x", "-spamhaus.ipv6.url")]
    [InlineData("-emergingthreats.refresh=0s", "-emergingthreats.refresh")]
    [InlineData("-gpu.enable", "-gpu.enable")]
    public void Bad_values_fail_naming_the_flag(string arg, string flag)
    {
        var result = Create().Parse([arg]);
        Assert.False(result.Success);
        Assert.Contains(flag, result.Error);
    }

    /// <summary>Command lines the Go exporter started with, dropping part of them silently: they start, and what was
    /// dropped is one error notice per flag for the start log.</summary>
    [Fact]
    public void Go_era_command_lines_that_dropped_part_of_themselves_start_with_one_notice_per_flag()
    {
        var commandLine = Create();
        var result = commandLine.Parse(["-log.level=verbose", "-read.thresholds=ultra,default:5", "-write.thresholds=local:1:2"]);
        Assert.True(result.Success, result.Error);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, commandLine.Host.LogLevel.Value);
        Assert.Equal(
            ["-log.level: unknown level \"verbose\" ignored, starting at error (the Go exporter's fallback); want one of error, info, debug",
             "-read.thresholds: ignored \"ultra\" (want type:value); the Go exporter skipped them too, silently",
             "-write.thresholds: ignored \"local:1:2\" (want type:value); the Go exporter skipped them too, silently"],
            commandLine.Notices.Select(n => n.Message));
        Assert.All(commandLine.Notices, n => Assert.Equal(FlagNoticeLevel.Error, n.Level));
        var clean = Create();
        Assert.True(clean.Parse(["-log.level=INFO", "-read.thresholds=default:5"]).Success);
        Assert.Empty(clean.Notices);
    }

    [Theory]
    [InlineData(":9120", "", 9120)]
    [InlineData("[::1]:9120", "::1", 9120)]
    [InlineData("127.0.0.1:0", "127.0.0.1", 0)]
    [InlineData("localhost:9177", "localhost", 9177)]
    [InlineData("node-17.example:9120", "node-17.example", 9120)]
    public void Listen_addresses_parse_like_go(string text, string host, int port)
    {
        Assert.Null(ListenAddress.Parse(text, out var address));
        Assert.Equal(new ListenAddress(host, port), address);
    }

    [Fact]
    public void Usage_lists_every_flag()
    {
        var commandLine = Create();
        var output = new StringWriter();
        commandLine.WriteUsage(output);
        foreach (var flag in commandLine.Flags.Flags)
            Assert.Contains("\n  -" + flag.Name + (flag.IsBool ? "" : " " + flag.TypeName) + "\n", output.ToString());
    }

    [Fact]
    public void Every_feed_gets_an_enable_switch_defaulting_to_plugins_json()
    {
        var commandLine = Create();
        Assert.Equal(["tor", "spamhaus", "emergingthreats", "customlist"], PluginRegistry.Feeds.Select(f => f.Name));
        foreach (var registration in PluginRegistry.Feeds)
        {
            Assert.True(commandLine.Flags.TryGet(registration.Name + ".enable", out var flag));
            Assert.True(flag.IsBool);
            Assert.Equal(registration.EnabledByDefault ? "true" : "false", flag.DefaultText);
        }
    }

    [Fact]
    public void Only_enabled_feeds_are_created_in_plugins_json_order()
    {
        var commandLine = Create();
        Assert.Empty(commandLine.CreatePlugins(Context()).Feeds);
        Assert.True(commandLine.Parse(["-spamhaus.enable", "-tor.enable=true", "-customlist.enable", "-customlist.path=/etc/oie/ips.txt"]).Success);
        var feeds = commandLine.CreatePlugins(Context()).Feeds;
        Assert.Equal(["tor", "spamhaus", "customlist"], feeds.Select(f => f.Descriptor.Name));
        Assert.Equal(new Uri("file:///etc/oie/ips.txt"), Assert.Single(feeds[2].Descriptor.Sources));
    }

    [Fact]
    public void An_enabled_custom_list_without_a_path_is_a_usage_error()
    {
        var commandLine = Create();
        Assert.True(commandLine.Parse(["-customlist.enable"]).Success);
        Assert.False(commandLine.TryCreatePlugins(Context(), out var plugins, out var error));
        Assert.Null(plugins);
        Assert.Contains("-customlist.path", error);
    }

    /// <summary>A collector refusing its flags is the same usage error as a feed doing so: Program.cs prints the
    /// message and exits 2 for both, before anything starts.</summary>
    [Fact]
    public void A_collector_refusing_its_flags_is_a_usage_error_naming_the_flag()
    {
        var picky = new CollectorRegistration("picky", true, (plugin, flags) =>
        {
            var min = flags.Int(plugin.Flag("min"), 0, "test flag");
            return _ => min.Value > 0 ? throw new ArgumentException($"-{min.Name} must be 0 while -collector.picky is on") : null!;
        });
        var commandLine = new ExporterCommandLine([picky]);
        Assert.True(commandLine.Parse(["-picky.min=3"]).Success);

        Assert.False(commandLine.TryCreatePlugins(Context(), out var plugins, out var error));
        Assert.Null(plugins);
        Assert.Equal("-picky.min must be 0 while -collector.picky is on", error);
    }

    /// <summary>The app is built around the plugins the composition root created: it creates none again (it used to
    /// create the feeds a second time, and the collectors with a context of its own).</summary>
    [Fact]
    public async Task The_app_uses_the_plugins_created_once()
    {
        var created = 0;
        var counted = new CollectorRegistration("counted", true, (plugin, flags) => _ =>
        {
            created++;
            return new NoCollector();
        });
        var commandLine = new ExporterCommandLine([counted]);
        Assert.True(commandLine.Parse(["-web.listen-address=127.0.0.1:0"]).Success);

        await using var app = TestExporter.Build(commandLine, TimeProvider.System);
        var collectors = app.Services.GetRequiredService<IReadOnlyList<NamedCollector>>();

        Assert.Equal(1, created);
        Assert.IsType<NoCollector>(Assert.Single(collectors).Collector);
    }

    private sealed class NoCollector : ICollector
    {
        public IReadOnlyList<MetricFamily> Families => [];

        public void Collect(CycleSnapshot snapshot, ISampleWriter writer)
        {
        }
    }

    private static PluginContext Context() =>
        new(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TimeProvider.System);
}
