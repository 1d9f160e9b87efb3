using Microsoft.Extensions.Time.Testing;
using Oie.Collectors.Disk;

namespace Oie.Collectors.Disk.Tests;

/// <summary>Threshold maps: resolution order, always exported, and malformed entries skipped (and named) as Go skipped them.</summary>
public sealed class DiskThresholdTests
{
    private static RecordingSampleWriter Run(InstanceBuilder vm, params string[] args) =>
        Plugin.Create<DiskCollector>(new FakeTimeProvider(), args).Run(Cycle.Of(0, vm));

    private static double Threshold(RecordingSampleWriter samples, string family, string diskPath) =>
        Assert.Single(samples.Of(family), s => s.Label("disk_path") == diskPath).Value;

    [Theory]
    [InlineData("ultra", 2500.0, 1000.0)] // the disk type's own entry
    [InlineData("ceph-ssd", 500.0, 400.0)] // else the map's default entry
    [InlineData("local", 200.0, 400.0)]
    public void A_disk_types_entry_wins_over_the_default_entry(string diskType, double read, double write)
    {
        var samples = Run(InstanceBuilder.Nova().Disk("vda", diskType, "img"),
            "-read.thresholds=default:500,local:200,ultra:2500", "-write.thresholds=default:400,ultra:1000",
            "-default.read.threshold=7", "-default.write.threshold=8");
        Assert.Equal(read, Threshold(samples, "oie_disk_r_alert_threshold", "vda"));
        Assert.Equal(write, Threshold(samples, "oie_disk_w_alert_threshold", "vda"));
    }

    [Fact]
    public void Without_an_entry_or_a_default_entry_the_built_in_flag_applies()
    {
        var samples = Run(InstanceBuilder.Nova().Disk("vda", "ceph-ssd", "img").Disk("vdb", "local", "/f"),
            "-read.thresholds=local:200", "-write.thresholds=ultra:1", "-default.read.threshold=150", "-default.write.threshold=175.5");
        Assert.Equal(150.0, Threshold(samples, "oie_disk_r_alert_threshold", "vda"));
        Assert.Equal(200.0, Threshold(samples, "oie_disk_r_alert_threshold", "vdb"));
        Assert.Equal(175.5, Threshold(samples, "oie_disk_w_alert_threshold", "vda"));
        Assert.Equal(175.5, Threshold(samples, "oie_disk_w_alert_threshold", "vdb"));
    }

    [Fact]
    public void With_no_flags_every_disk_gets_100_for_read_and_write()
    {
        var samples = Run(InstanceBuilder.Nova().Disk("vda", "local", "/f"));
        Assert.Equal(100.0, Threshold(samples, "oie_disk_r_alert_threshold", "vda"));
        Assert.Equal(100.0, Threshold(samples, "oie_disk_w_alert_threshold", "vda"));
    }

    [Fact]
    public void The_seeds_example_command_line_parses()
    {
        var samples = Run(InstanceBuilder.Nova().Disk("vda", "premium", "img"),
            "-read.thresholds", "default:500,local:200,ultra:2500", "--write.thresholds=default:500,premium:1000");
        Assert.Equal(500.0, Threshold(samples, "oie_disk_r_alert_threshold", "vda"));
        Assert.Equal(1000.0, Threshold(samples, "oie_disk_w_alert_threshold", "vda"));
    }

    [Fact]
    public void Blanks_around_entries_and_a_trailing_comma_are_tolerated()
    {
        var samples = Run(InstanceBuilder.Nova().Disk("vda", "local", "/f"), "-read.thresholds= default : 500 , local:200 ,");
        Assert.Equal(200.0, Threshold(samples, "oie_disk_r_alert_threshold", "vda"));
    }

    [Fact]
    public void Disk_types_match_case_sensitively()
    {
        var samples = Run(InstanceBuilder.Nova().Disk("vda", "Local", "/f"), "-read.thresholds=default:500,local:200");
        Assert.Equal(500.0, Threshold(samples, "oie_disk_r_alert_threshold", "vda"));
    }

    [Fact]
    public void Thresholds_are_exported_for_every_disk_even_without_stats()
    {
        var vm = InstanceBuilder.Nova()
            .Disk("vda", "local", "/var/lib/nova/instances/x/disk", io: null)
            .Disk("vdb", "volumes", "vol-1", io: new BlockCounters(0, 0, 0, 0));
        var samples = Run(vm);
        Assert.Equal(
            ["oie_disk_r_alert_threshold", "oie_disk_w_alert_threshold", "oie_disk_r_alert_threshold", "oie_disk_w_alert_threshold"],
            samples.Names);
        Assert.Equal(["vda", "vda", "vdb", "vdb"], samples.Samples.Select(s => s.Label("disk_path")));
    }

    [Fact]
    public void Thresholds_are_exported_when_block_stats_could_not_be_read_at_all()
    {
        var samples = Run(InstanceBuilder.Nova().Disk("vda", "local", "/f").Disk("vdb", "local", "/g").NoDiskStats());
        Assert.Equal(4, samples.Samples.Count);
        Assert.All(samples.Samples, s => Assert.Contains("alert_threshold", s.Name, StringComparison.Ordinal));
    }

    /// <summary>The Go exporter's parseThresholds: an entry that is not exactly type:value, or whose value is not a
    /// number, is skipped; a type given again replaces the earlier entry; a negative value is taken as given. The
    /// command line is accepted and what was skipped is one error notice naming the flag and the entries.</summary>
    [Theory]
    [InlineData("local200,ultra:7", "\"local200\" (want type:value)")]
    [InlineData("ultra:7,local", "\"local\" (want type:value)")]
    [InlineData("local:1:2,ultra:7", "\"local:1:2\" (want type:value)")]
    [InlineData("local:abc,ultra:7", "\"local:abc\" (\"abc\" is not a number)")]
    [InlineData("local:,ultra:7", "\"local:\" (\"\" is not a number)")]
    [InlineData("local:NaN,ultra:7", "\"local:NaN\" (\"NaN\" is not a number)")]
    [InlineData("local:Infinity,ultra:7", "\"local:Infinity\"")]
    [InlineData("ultra:1,local:-3,ultra:7", "\"ultra:1\" (ultra is given again later, the last one wins)")]
    public void A_malformed_or_repeated_entry_is_skipped_as_go_skipped_it_and_named_once(string map, string skipped)
    {
        foreach (var flag in new[] { "read.thresholds", "write.thresholds" })
        {
            var result = Plugin.Parse<DiskCollector>($"-{flag}={map}");
            Assert.True(result.Success, result.Error);
            var notice = Assert.Single(result.Notices);
            Assert.Equal(FlagNoticeLevel.Error, notice.Level);
            Assert.StartsWith($"-{flag}: ignored ", notice.Message, StringComparison.Ordinal);
            Assert.Contains(skipped, notice.Message, StringComparison.Ordinal);

            var family = flag.StartsWith('r') ? "oie_disk_r_alert_threshold" : "oie_disk_w_alert_threshold";
            var samples = Run(InstanceBuilder.Nova().Disk("vda", "ultra", "img").Disk("vdb", "local", "/f"),
                $"-{flag}={map}", "-default.read.threshold=42", "-default.write.threshold=42");
            Assert.Equal(7.0, Threshold(samples, family, "vda")); // the good (last) entry holds
            Assert.Equal(map.Contains("local:-3", StringComparison.Ordinal) ? -3.0 : 42.0, Threshold(samples, family, "vdb"));
        }
    }

    [Fact]
    public void A_negative_threshold_is_taken_as_given_as_go_did()
    {
        var result = Plugin.Parse<DiskCollector>("-read.thresholds=local:-5");
        Assert.True(result.Success, result.Error);
        Assert.Empty(result.Notices);
        var samples = Run(InstanceBuilder.Nova().Disk("vda", "local", "/f"), "-read.thresholds=local:-5");
        Assert.Equal(-5.0, Threshold(samples, "oie_disk_r_alert_threshold", "vda"));
    }

    [Fact]
    public void A_non_numeric_built_in_threshold_fails_parsing_naming_the_flag()
    {
        var result = Plugin.Parse<DiskCollector>("-default.write.threshold=lots");
        Assert.False(result.Success);
        Assert.Contains("-default.write.threshold", result.Error, StringComparison.Ordinal);
    }
}
