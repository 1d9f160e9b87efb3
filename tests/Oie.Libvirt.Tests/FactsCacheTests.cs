using Microsoft.Extensions.Time.Testing;

namespace Oie.Libvirt.Tests;

public class FactsCacheTests
{
    private static ParsedDomain Parsed(string name = "d", int disks = 2, int nets = 1) =>
        new(new InstanceFacts { Domain = name, InstanceUuid = "u" }, disks, nets);

    [Fact]
    public void Fresh_entry_is_served_until_the_id_changes()
    {
        var cache = new FactsCache(new FakeTimeProvider());
        cache.BeginCycle();
        cache.Store("u", 1, Parsed());

        Assert.NotNull(cache.GetFresh("u", 1, null, null));
        Assert.Null(cache.GetFresh("u", 2, null, null));
        Assert.Null(cache.GetFresh("other", 1, null, null));
    }

    [Fact]
    public void Bulk_device_counts_that_differ_from_the_xml_make_it_stale()
    {
        var cache = new FactsCache(new FakeTimeProvider());
        cache.BeginCycle();
        cache.Store("u", 1, Parsed(disks: 2, nets: 1));

        Assert.NotNull(cache.GetFresh("u", 1, 2, 1));
        Assert.Null(cache.GetFresh("u", 1, 3, 1));
        Assert.Null(cache.GetFresh("u", 1, 2, 2));
    }

    [Fact]
    public void Entries_expire_after_ten_minutes()
    {
        var time = new FakeTimeProvider();
        var cache = new FactsCache(time);
        cache.BeginCycle();
        cache.Store("u", 1, Parsed());

        time.Advance(FactsCache.MaxAge - TimeSpan.FromSeconds(1));
        Assert.NotNull(cache.GetFresh("u", 1, null, null));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(cache.GetFresh("u", 1, null, null));
    }

    [Fact]
    public void Failing_device_forces_one_reread_not_one_per_cycle()
    {
        var cache = new FactsCache(new FakeTimeProvider());
        cache.BeginCycle();
        cache.Store("u", 1, Parsed()).DeviceFailed();
        Assert.Null(cache.GetFresh("u", 1, null, null));

        // Re-read gives the same XML: the device still fails but must not trigger another read.
        cache.Store("u", 1, Parsed()).DeviceFailed();
        Assert.NotNull(cache.GetFresh("u", 1, null, null));
    }

    [Fact]
    public void Failing_device_after_the_xml_changed_forces_a_reread_again()
    {
        var cache = new FactsCache(new FakeTimeProvider());
        cache.BeginCycle();
        cache.Store("u", 1, Parsed()).DeviceFailed();
        cache.Store("u", 1, Parsed(name: "renamed")).DeviceFailed();

        Assert.Null(cache.GetFresh("u", 1, null, null));
    }

    [Fact]
    public void Domains_not_seen_in_a_cycle_are_dropped()
    {
        var cache = new FactsCache(new FakeTimeProvider());
        cache.BeginCycle();
        cache.Store("a", 1, Parsed());
        cache.Store("b", 2, Parsed());
        cache.EndCycle();

        cache.BeginCycle();
        Assert.NotNull(cache.GetFresh("a", 1, null, null));
        cache.EndCycle();

        Assert.Equal(1, cache.Count);
        Assert.Null(cache.GetFresh("b", 2, null, null));
    }
}
