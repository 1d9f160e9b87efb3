using Microsoft.Extensions.Time.Testing;

namespace Oie.Libvirt.Tests;

/// <summary>Against the real libvirt.so.0 and its test driver (which gives per-domain counters derived from the clock).</summary>
public class LibvirtInstanceSourceTests
{
    private const string User = "75736572-0000-4000-8000-000000000001";
    private const string Project0 = "6f70656e-7374-6163-6b20-70726f6a6563";
    private const string Project1 = "0a1b2c3d-0000-4000-8000-000000000002";

    private static Dictionary<string, Instance> ByName(LibvirtReadResult result) => result.Instances.ToDictionary(i => i.Facts.Domain);

    [Fact]
    public void Lists_every_active_domain_with_its_labels()
    {
        using var source = Fixtures.Source(Fixtures.Node, new FakeTimeProvider());

        var result = source.Read();

        Assert.True(result.Available, result.Error);
        Assert.Null(result.Error);
        Assert.Equal(0, result.DomainErrors);
        Assert.True(source.IsConnected);
        // The test driver lists in hash order, not file order.
        Assert.Equal(
            ["instance-00000001", "instance-00000002", "instance-00000003", "instance-00000004", "instance-iscsi", "instance-paused", "plain-vm"],
            result.Instances.Select(i => i.Facts.Domain).Order(StringComparer.Ordinal));
        var byName = ByName(result);
        for (var i = 0; i < 4; i++)
        {
            var facts = byName[$"instance-0000000{i + 1}"].Facts;
            Assert.Equal($"11111111-0000-4000-8000-00000000000{i}", facts.InstanceUuid);
            Assert.Equal(User, facts.UserUuid);
            Assert.Equal(i % 2 == 0 ? Project0 : Project1, facts.ProjectUuid);
            Assert.Equal(2, facts.FlavorVcpus);
            Assert.Equal(2, facts.DomainVcpus);
        }
    }

    /// <summary>The names Nova writes beside the UUIDs (for oie_instance_info): display name, flavor, the owner's
    /// user and project names, and the image of an image-backed root disk (none for instance-iscsi's volume root).</summary>
    [Fact]
    public void Nova_names_flavor_and_image_are_read()
    {
        using var source = Fixtures.Source(Fixtures.Node, new FakeTimeProvider());

        var byName = ByName(source.Read());

        var vm1 = byName["instance-00000002"].Facts;
        Assert.Equal(("vm-1", "m1.small", "alice", "project-1", "44444444-0000-4000-8000-000000000001"),
            (vm1.InstanceName, vm1.FlavorName, vm1.UserName, vm1.ProjectName, vm1.ImageUuid));
        var iscsi = byName["instance-iscsi"].Facts;
        Assert.Equal(("vm-iscsi", "m1.tiny", "bob", "project-1", ""),
            (iscsi.InstanceName, iscsi.FlavorName, iscsi.UserName, iscsi.ProjectName, iscsi.ImageUuid));
        var plain = byName["plain-vm"].Facts;
        Assert.Equal(("", "", "", "", ""), (plain.InstanceName, plain.FlavorName, plain.UserName, plain.ProjectName, plain.ImageUuid));
    }

    [Fact]
    public void Disks_interfaces_and_fixed_ips_follow_the_xml()
    {
        using var source = Fixtures.Source(Fixtures.Node, new FakeTimeProvider());

        var byName = ByName(source.Read());

        var nova = byName["instance-00000002"].Facts;
        Assert.Equal(
            [new DiskFacts("vda", "local", "/var/lib/nova/instances/11111111-0000-4000-8000-000000000001/disk"),
             new DiskFacts("vdb", "volumes", "volume-33333333-0000-4000-8000-000000000001", "33333333-0000-4000-8000-000000000001")],
            nova.Disks.ToArray());
        Assert.Equal(["tap22222222-00"], nova.Interfaces.ToArray());
        Assert.Equal([new FixedIp("10.0.0.6", 4, "22222222-0000-4000-8000-000000000001"), new FixedIp("fd00::6", 6, "22222222-0000-4000-8000-000000000001")],
            nova.FixedIps.ToArray());

        var iscsi = byName["instance-iscsi"].Facts;
        Assert.Equal(
            [new DiskFacts("vda", "unknown", "unknown", "55555555-0000-4000-8000-000000000005"), new DiskFacts("vdb", "unknown", "unknown")], // Go: no source name, so unknown
            iscsi.Disks.ToArray());
        Assert.Empty(iscsi.Interfaces);
        Assert.Equal(1, iscsi.FlavorVcpus);
        Assert.Equal("75736572-0000-4000-8000-000000000002", iscsi.UserUuid);
    }

    [Fact]
    public void Domain_without_nova_metadata_is_returned_with_empty_labels()
    {
        using var source = Fixtures.Source(Fixtures.Node, new FakeTimeProvider());

        var plain = ByName(source.Read())["plain-vm"];

        Assert.Equal("aaaaaaaa-0000-4000-8000-00000000000a", plain.Facts.InstanceUuid);
        Assert.Equal("", plain.Facts.UserUuid);
        Assert.Equal("", plain.Facts.ProjectUuid);
        Assert.Null(plain.Facts.FlavorVcpus);
        Assert.Empty(plain.Facts.FixedIps);
        Assert.Equal(1, plain.Facts.DomainVcpus);
        Assert.Equal([new DiskFacts("vda", "local", "/var/lib/libvirt/images/plain.qcow2")], plain.Facts.Disks.ToArray());
        Assert.NotNull(plain.Stats.CpuTimeNs);
        Assert.NotNull(plain.Stats.Interfaces[0]);
    }

    [Fact]
    public void States_come_from_libvirt()
    {
        using var source = Fixtures.Source(Fixtures.Node, new FakeTimeProvider());

        var byName = ByName(source.Read());

        Assert.Equal(DomainRunState.Paused, byName["instance-paused"].Stats.State);
        Assert.Equal(DomainRunState.Running, byName["instance-00000001"].Stats.State);
        Assert.Equal(4, byName["instance-paused"].Stats.Vcpus);
    }

    [Fact]
    public void Counters_are_present_aligned_and_non_decreasing()
    {
        var time = new FakeTimeProvider();
        using var source = Fixtures.Source(Fixtures.Node, time);

        var first = source.Read();
        time.Advance(TimeSpan.FromSeconds(10));
        Thread.Sleep(5); // the test driver's counters follow the real clock
        var second = source.Read();

        Assert.Equal(first.Instances.Count, second.Instances.Count);
        for (var i = 0; i < first.Instances.Count; i++)
        {
            var (a, b) = (first.Instances[i].Stats, second.Instances[i].Stats);
            var facts = second.Instances[i].Facts;
            Assert.True(a.CpuTimeNs > 0, facts.Domain);
            Assert.True(b.CpuTimeNs >= a.CpuTimeNs, facts.Domain);
            Assert.True(b.SampledAt > a.SampledAt, facts.Domain);
            Assert.Equal(facts.Disks.Length, b.Disks.Length);
            Assert.Equal(facts.Interfaces.Length, b.Interfaces.Length);
            for (var d = 0; d < b.Disks.Length; d++)
            {
                var (x, y) = (a.Disks[d]!.Value, b.Disks[d]!.Value);
                Assert.True(x.ReadRequests > 0 && x.WriteBytes > 0, $"{facts.Domain} {facts.Disks[d].Target}");
                Assert.True(y.ReadRequests >= x.ReadRequests && y.ReadBytes >= x.ReadBytes &&
                            y.WriteRequests >= x.WriteRequests && y.WriteBytes >= x.WriteBytes);
            }
            for (var n = 0; n < b.Interfaces.Length; n++)
            {
                var (x, y) = (a.Interfaces[n]!.Value, b.Interfaces[n]!.Value);
                Assert.True(x.RxBytes > 0 && x.TxPackets > 0, $"{facts.Domain} {facts.Interfaces[n]}");
                Assert.True(y.RxBytes >= x.RxBytes && y.RxPackets >= x.RxPackets && y.TxBytes >= x.TxBytes && y.TxPackets >= x.TxPackets);
            }
        }
    }

    [Fact]
    public void Xml_is_parsed_once_until_the_cache_age_passes()
    {
        var time = new FakeTimeProvider();
        using var source = Fixtures.Source(Fixtures.Node, time);

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(7, source.Read().Instances.Count);
            time.Advance(TimeSpan.FromSeconds(10));
        }
        Assert.Equal(7, source.XmlParses);

        time.Advance(FactsCache.MaxAge);
        source.Read();
        Assert.Equal(14, source.XmlParses);
        source.Read();
        Assert.Equal(14, source.XmlParses);
    }

    [Fact]
    public void Domain_with_unparsable_flavor_vcpus_is_kept_without_it()
    {
        using var source = Fixtures.Source(Fixtures.Path("broken-node.xml"), new FakeTimeProvider());

        var result = source.Read();

        Assert.True(result.Available);
        Assert.Equal(0, result.DomainErrors);
        var byName = ByName(result);
        Assert.Equal(["instance-00000001", "instance-00000002"], byName.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, byName["instance-00000001"].Facts.FlavorVcpus);
        var broken = byName["instance-00000002"];
        Assert.Null(broken.Facts.FlavorVcpus);
        Assert.Equal(2, broken.Stats.Vcpus);
        Assert.NotNull(broken.Stats.CpuTimeNs);
    }

    [Fact]
    public void Unopenable_uri_is_reported_and_recovers_after_the_backoff()
    {
        using var dir = new Fixtures.TempDir();
        var node = dir.File("node.xml");
        var time = new FakeTimeProvider();
        using var source = Fixtures.Source(node, time);

        var down = source.Read();
        Assert.False(down.Available);
        Assert.False(string.IsNullOrWhiteSpace(down.Error));
        Assert.Empty(down.Instances);
        Assert.False(source.IsConnected);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(source.Read().Available); // second failure: the next wait is 2 s

        File.Copy(Fixtures.Node, node);
        time.Advance(TimeSpan.FromSeconds(1));
        var waiting = source.Read();
        Assert.False(waiting.Available); // the file is there, but the backoff has not passed
        Assert.False(source.IsConnected);

        time.Advance(TimeSpan.FromSeconds(1));
        var up = source.Read();
        Assert.True(up.Available, up.Error);
        Assert.Equal(7, up.Instances.Count);
        Assert.True(source.IsConnected);
    }

    [Fact]
    public void Cache_follows_the_domain_set_and_rereads_restarted_domains()
    {
        using var dir = new Fixtures.TempDir();
        var node = dir.File("node.xml");
        var all = File.ReadAllText(Fixtures.Node);
        File.WriteAllText(node, all);
        using var source = Fixtures.Source(node, new FakeTimeProvider());
        Assert.Equal(7, source.Read().Instances.Count);
        Assert.Equal(7, source.CachedDomains);

        // Same node after a reconnect: same IDs, nothing re-read.
        source.Disconnect();
        Assert.Equal(7, source.Read().Instances.Count);
        Assert.Equal(7, source.XmlParses);

        // Drop the first domain: the test driver numbers the rest from 1 again, so every ID changes (as on a guest restart).
        File.WriteAllText(node, RemoveDomain(all, "instance-00000001"));
        source.Disconnect();
        var fewer = source.Read();
        Assert.Equal(6, fewer.Instances.Count);
        Assert.Equal(6, source.CachedDomains);
        Assert.Equal(13, source.XmlParses);
        Assert.DoesNotContain(fewer.Instances, i => i.Facts.Domain == "instance-00000001");
    }

    [Fact]
    public void Bad_nova_vcpus_keeps_the_instance_with_libvirts_vcpu_count()
    {
        // instance-00000001..4 get a bad flavor vCPU count each, and 3 vCPUs in the domain definition (the flavor says 2),
        // so the count the instance ends up with can only come from libvirt.
        string[] bad = ["0", "-4", "two", "99999999999"];
        var node = File.ReadAllText(Fixtures.Node);
        for (var i = 0; i < bad.Length; i++)
        {
            node = ReplaceInDomain(ReplaceInDomain(node, $"instance-0000000{i + 1}", "<nova:vcpus>2</nova:vcpus>", $"<nova:vcpus>{bad[i]}</nova:vcpus>"),
                $"instance-0000000{i + 1}", "<vcpu placement='static'>2</vcpu>", "<vcpu placement='static'>3</vcpu>");
        }

        using var dir = new Fixtures.TempDir();
        File.WriteAllText(dir.File("node.xml"), node);
        var log = new LogLines();
        using var source = new LibvirtInstanceSource(Fixtures.Uri(dir.File("node.xml")), log, new FakeTimeProvider());

        var result = source.Read();

        Assert.True(result.Available, result.Error);
        Assert.Equal(0, result.DomainErrors);
        Assert.Equal(7, result.Instances.Count);
        var byName = ByName(result);
        for (var i = 0; i < bad.Length; i++)
        {
            var instance = byName[$"instance-0000000{i + 1}"];
            Assert.Null(instance.Facts.FlavorVcpus);
            Assert.Equal(3, instance.Facts.DomainVcpus);
            Assert.Equal(3, instance.Stats.Vcpus);
            Assert.NotNull(instance.Stats.CpuTimeNs);
            Assert.Equal(["vda", "vdb"], instance.Facts.Disks.Select(d => d.Target));
            Assert.All(instance.Stats.Disks, d => Assert.NotNull(d));
            Assert.Single(instance.Facts.Interfaces);
            Assert.All(instance.Stats.Interfaces, n => Assert.NotNull(n));
            Assert.Equal(2, instance.Facts.FixedIps.Length);
            Assert.Equal(i % 2 == 0 ? Project0 : Project1, instance.Facts.ProjectUuid);
            Assert.Contains(log.Lines, l => l.Contains($"instance-0000000{i + 1}", StringComparison.Ordinal) &&
                                            l.Contains($"nova:vcpus '{bad[i]}'", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Read_after_dispose_of_the_connection_reopens_lazily()
    {
        using var source = Fixtures.Source(Fixtures.Node, new FakeTimeProvider());
        Assert.False(source.IsConnected);

        Assert.True(source.Read().Available);
        source.Disconnect();
        Assert.False(source.IsConnected);
        Assert.True(source.Read().Available);
    }

    [Fact]
    public void Bundled_sample_node_reads_cleanly()
    {
        using var source = Fixtures.Source(Fixtures.Path("samples-node.xml"), new FakeTimeProvider());

        var result = source.Read();

        Assert.True(result.Available, result.Error);
        Assert.Equal(0, result.DomainErrors);
        Assert.Equal(8, result.Instances.Count);
        Assert.Equal(6, result.Instances.Count(i => i.Facts.ProjectUuid.Length > 0 && i.Facts.Domain.StartsWith("instance-0", StringComparison.Ordinal)));
        Assert.Contains(result.Instances, i => i.Facts.Domain == "plain-vm" && i.Facts.ProjectUuid == "");
        Assert.Contains(result.Instances, i => i.Stats.State == DomainRunState.Paused);
    }

    private static string ReplaceInDomain(string node, string name, string oldText, string newText)
    {
        var at = node.IndexOf($"<name>{name}</name>", StringComparison.Ordinal);
        var start = node.LastIndexOf("<domain", at, StringComparison.Ordinal);
        var end = node.IndexOf("</domain>", at, StringComparison.Ordinal);
        var domain = node[start..end];
        Assert.Contains(oldText, domain, StringComparison.Ordinal);
        return node[..start] + domain.Replace(oldText, newText, StringComparison.Ordinal) + node[end..];
    }

    private static string RemoveDomain(string node, string name)
    {
        var at = node.IndexOf($"<name>{name}</name>", StringComparison.Ordinal);
        var start = node.LastIndexOf("<domain", at, StringComparison.Ordinal);
        var end = node.IndexOf("</domain>", at, StringComparison.Ordinal) + "</domain>".Length;
        return node[..start] + node[end..];
    }
}
