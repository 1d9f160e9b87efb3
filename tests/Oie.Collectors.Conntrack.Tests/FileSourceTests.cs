using Oie.Collectors.Conntrack;

namespace Oie.Collectors.Conntrack.Tests;

/// <summary>-conntrack.path over recorded captures: attribution, threshold, labels and the host-wide samples.</summary>
public sealed class FileSourceTests
{
    private static RecordingSampleWriter Run(string fixture, int min, params Instance[] vms) =>
        Conntrack.Create($"-conntrack.path={Conntrack.Fixture(fixture)}", $"-conntrack.min={min}").Run(Cycle.Of(0, vms));

    [Theory]
    [InlineData("conntrack-extended.txt")]   // conntrack -L -o extended (compressed IPv6, no zone=)
    [InlineData("proc-nf_conntrack.txt")]    // /proc/net/nf_conntrack of the same table (expanded IPv6, zone=0)
    public void Each_entry_counts_for_its_original_source_and_destination(string fixture)
    {
        var samples = Run(fixture, 1, Vm.A, Vm.B);
        Assert.Equal(
            [
                ("instance-00000001", "10.0.0.5", "ipv4", 4.0),
                ("instance-00000001", "fd00::5", "ipv6", 3.0),
                ("instance-00000002", "10.0.0.6", "ipv4", 4.0),
                ("instance-00000002", "fd00::6", "ipv6", 3.0),
            ],
            Conntrack.IpTotals(samples));
    }

    [Fact]
    public void Labels_are_in_contract_order_with_the_canonical_ip_and_the_family()
    {
        var samples = Run("conntrack-extended.txt", 1, Vm.A);
        var v6 = samples.Of("oie_conntrack_ip_total")[1];
        Assert.Equal(["instance-00000001", Vm.UuidA, "fd00::5", "ipv6", "project-a", "user-a"], v6.Labels);
        Assert.Same(samples.Of("oie_conntrack_ip_total")[0].Instance, v6.Instance);
        Assert.Equal(Vm.UuidA, v6.Instance!.Facts.InstanceUuid);
    }

    [Fact]
    public void Addresses_spelled_differently_are_one_ip_and_only_the_original_tuple_counts()
    {
        var v6 = Vm.With(InstanceBuilder.Nova("v6", "uuid-6"), "2001:0DB8::0001", "2001:db8:0:0::2");
        var v4 = Vm.With(InstanceBuilder.NonNova("v4", "uuid-4"), "192.168.1.10");
        var samples = Run("spellings.txt", 1, v6, v4);
        // 2001:db8::1: src of line 1, dst of line 2; 192.168.1.10: src of an SNAT entry and of a flow to itself (once);
        // the DNAT entry naming it only in the reply tuple does not count.
        Assert.Equal(
            [("v6", "2001:db8::1", "ipv6", 2.0), ("v6", "2001:db8::2", "ipv6", 1.0), ("v4", "192.168.1.10", "ipv4", 2.0)],
            Conntrack.IpTotals(samples));
        Assert.Equal(["v4", "uuid-4", "192.168.1.10", "ipv4", "", ""], samples.Of("oie_conntrack_ip_total")[2].Labels);
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(3, 4)]
    [InlineData(4, 2)]   // a count equal to the minimum is exported
    [InlineData(5, 0)]
    [InlineData(20, 0)]
    public void Only_ips_with_at_least_min_entries_are_exported(int min, int exported)
    {
        var samples = Run("conntrack-extended.txt", min, Vm.A, Vm.B);
        Assert.Equal(exported, samples.Of("oie_conntrack_ip_total").Count);
        Assert.All(samples.Of("oie_conntrack_ip_total"), s => Assert.True(s.Value >= min));
    }

    [Fact]
    public void The_default_minimum_is_20()
    {
        var vm = Vm.With(InstanceBuilder.Nova(), "10.0.0.5", "fd00::5", "10.0.0.7", "fd00::6");
        var samples = Conntrack.Create($"-conntrack.path={DemoCapture}").Run(Cycle.Of(0, vm));
        Assert.Equal([("10.0.0.5", 44.0), ("fd00::5", 25.0), ("10.0.0.7", 21.0)],
            Conntrack.IpTotals(samples).Select(s => (s.Ip, s.Count)));
    }

    [Fact]
    public void The_bundled_demo_capture_exports_several_sample_node_ips_of_both_families()
    {
        // The fixed IPs of samples/node.xml.
        Instance[] node =
        [
            Vm.With(InstanceBuilder.Nova("instance-00000001", "u1"), "10.0.0.5", "fd00::5"),
            Vm.With(InstanceBuilder.Nova("instance-00000002", "u2"), "10.0.0.6", "fd00::6"),
            Vm.With(InstanceBuilder.Nova("instance-00000003", "u3"), "10.0.0.7", "fd00::7"),
            Vm.With(InstanceBuilder.Nova("instance-00000004", "u4"), "10.0.0.8", "fd00::8"),
            Vm.With(InstanceBuilder.Nova("instance-00000005", "u5"), "10.0.0.9", "fd00::9"),
            Vm.With(InstanceBuilder.Nova("instance-00000006", "u6"), "10.0.0.10", "fd00::a"),
            Vm.With(InstanceBuilder.Nova("instance-paused", "u7"), "10.0.9.9"),
        ];
        var samples = Conntrack.Create($"-conntrack.path={DemoCapture}").Run(Cycle.Of(0, node));
        var totals = Conntrack.IpTotals(samples);
        Assert.True(totals.Count >= 4, string.Join(", ", totals));
        Assert.Contains(totals, t => t.Family == "ipv4");
        Assert.Contains(totals, t => t.Family == "ipv6");
        Assert.Equal(0, Conntrack.Host(samples, "oie_conntrack_malformed_lines"));
        Assert.Equal(File.ReadLines(DemoCapture).Count(), Conntrack.Host(samples, "oie_conntrack_entries"));
    }

    [Fact]
    public void Host_wide_samples_follow_the_instance_samples()
    {
        var collector = Conntrack.Create($"-conntrack.path={Conntrack.Fixture("with-malformed.txt")}", "-conntrack.min=1");
        using var dir = new TempDir();
        var samples = Conntrack.WithMaxPath(collector, dir.Write("nf_conntrack_max", "262144\n")).Run(Cycle.Of(0, Vm.A, Vm.B));
        Assert.Equal(
            ["oie_conntrack_ip_total", "oie_conntrack_ip_total", "oie_conntrack_ip_total", "oie_conntrack_ip_total",
             "oie_conntrack_entries", "oie_conntrack_max", "oie_conntrack_malformed_lines"],
            samples.Names);
        Assert.Equal(4, Conntrack.Host(samples, "oie_conntrack_entries"));
        Assert.Equal(262144, Conntrack.Host(samples, "oie_conntrack_max"));
        Assert.Equal(2, Conntrack.Host(samples, "oie_conntrack_malformed_lines"));
        Assert.Equal([3.0, 1.0, 3.0, 1.0], samples.Of("oie_conntrack_ip_total").Select(s => s.Value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("unlimited\n")]
    public void An_unreadable_table_size_is_left_out_and_the_rest_exported(string? content)
    {
        using var dir = new TempDir();
        var path = content is null ? dir.File("missing") : dir.Write("nf_conntrack_max", content);
        var collector = Conntrack.WithMaxPath(Conntrack.Create($"-conntrack.path={Conntrack.Fixture("conntrack-extended.txt")}"), path);
        var samples = collector.Run(Cycle.Of(0, Vm.A));
        Assert.Empty(samples.Of("oie_conntrack_max"));
        Assert.Equal(7, Conntrack.Host(samples, "oie_conntrack_entries"));
    }

    [Fact]
    public void The_table_size_is_read_from_proc_by_default()
    {
        var expected = File.Exists(Oie.Conntrack.Reading.ConntrackSourceOptions.DefaultMaxPath) ? double.Parse(File.ReadAllText(Oie.Conntrack.Reading.ConntrackSourceOptions.DefaultMaxPath), System.Globalization.CultureInfo.InvariantCulture) : (double?)null;
        var samples = Run("conntrack-extended.txt", 20, Vm.A);
        Assert.Equal(expected, samples.Of("oie_conntrack_max").Select(s => (double?)s.Value).SingleOrDefault());
    }

    [Fact]
    public void Without_libvirt_no_ip_total_is_written_but_the_table_is_still_read()
    {
        var down = Conntrack.Create($"-conntrack.path={Conntrack.Fixture("conntrack-extended.txt")}", "-conntrack.min=1")
            .Run(new CycleSnapshot { Timestamp = 0, LibvirtAvailable = false, Instances = [Vm.A] });
        Assert.Empty(down.Of("oie_conntrack_ip_total"));
        Assert.Equal(7, Conntrack.Host(down, "oie_conntrack_entries"));
        Assert.Equal(0, Conntrack.Host(down, "oie_conntrack_malformed_lines"));
    }

    [Fact]
    public void The_file_is_read_afresh_every_cycle()
    {
        using var dir = new TempDir();
        var path = dir.Write("capture", File.ReadAllText(Conntrack.Fixture("conntrack-extended-ipv4.txt")));
        var collector = Conntrack.Create($"-conntrack.path={path}", "-conntrack.min=1");
        Assert.Equal(4, Conntrack.IpTotals(collector.Run(Cycle.Of(0, Vm.A)))[0].Count);
        File.WriteAllText(path, File.ReadAllText(Conntrack.Fixture("conntrack-extended.txt")) + File.ReadAllText(Conntrack.Fixture("conntrack-extended-ipv4.txt")));
        var second = collector.Run(Cycle.Of(1, Vm.A));
        Assert.Equal([("instance-00000001", "10.0.0.5", "ipv4", 8.0), ("instance-00000001", "fd00::5", "ipv6", 3.0)], Conntrack.IpTotals(second));
        Assert.Equal(11, Conntrack.Host(second, "oie_conntrack_entries"));
    }

    [Fact]
    public void An_empty_table_is_a_valid_table()
    {
        using var dir = new TempDir();
        var samples = Conntrack.Create($"-conntrack.path={dir.Write("empty", "")}", "-conntrack.min=0").Run(Cycle.Of(0, Vm.A));
        Assert.Equal(0, Conntrack.Host(samples, "oie_conntrack_entries"));
        // -conntrack.min=0 exports every fixed IP, with 0.
        Assert.Equal([0.0, 0.0], samples.Of("oie_conntrack_ip_total").Select(s => s.Value));
    }

    [Fact]
    public void A_missing_file_fails_the_cycle_and_the_next_good_cycle_works()
    {
        using var dir = new TempDir();
        var path = dir.File("capture");
        var collector = Conntrack.Create($"-conntrack.path={path}", "-conntrack.min=1");
        var error = Assert.Throws<CollectorSourceException>(() => collector.Run(Cycle.Of(0, Vm.A)));
        Assert.Equal("conntrack", error.Source);
        Assert.Contains($"cannot open -conntrack.path={path}", error.Message, StringComparison.Ordinal);
        File.Copy(Conntrack.Fixture("conntrack-extended.txt"), path);
        Assert.Equal(2, Conntrack.IpTotals(collector.Run(Cycle.Of(1, Vm.A))).Count);
    }

    [Fact]
    public void A_file_that_is_not_a_conntrack_table_fails_the_cycle()
    {
        var collector = Conntrack.Create($"-conntrack.path={Conntrack.Fixture("garbage.txt")}", "-conntrack.min=0");
        var error = Assert.Throws<CollectorSourceException>(() => collector.Run(Cycle.Of(0, Vm.A)));
        Assert.Equal("conntrack", error.Source);
        Assert.Contains("garbage.txt printed no conntrack table", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_is_not_a_capture()
    {
        using var dir = new TempDir();
        var error = Assert.Throws<CollectorSourceException>(() =>
            Conntrack.Create($"-conntrack.path={dir.Path}").Run(Cycle.Of(0, Vm.A)));
        Assert.Contains(dir.Path, error.Message, StringComparison.Ordinal);
    }

    private static string DemoCapture => Path.Combine(RepoRoot, "samples", "conntrack.txt");

    private static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "plugins.json")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("plugins.json not found above " + AppContext.BaseDirectory);
        }
    }
}
