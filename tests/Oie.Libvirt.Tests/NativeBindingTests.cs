namespace Oie.Libvirt.Tests;

/// <summary>The struct layouts and calls against the real libvirt.so.0.</summary>
public class NativeBindingTests
{
    [Fact]
    public void Open_failure_carries_libvirt_code_and_message()
    {
        var e = Assert.Throws<LibvirtException>(() => LibvirtConnection.OpenReadOnly("test:///nonexistent/oie/node.xml"));

        Assert.NotEqual(0, e.Code);
        Assert.Contains("virConnectOpenReadOnly", e.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/oie/node.xml", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lists_domains_with_uuid_name_id_and_info()
    {
        using var conn = LibvirtConnection.OpenReadOnly(Fixtures.Uri(Fixtures.Node));
        Assert.True(conn.IsAlive());

        var domains = conn.ListActiveDomains();
        try
        {
            Assert.Equal(7, domains.Length);
            var paused = domains.Single(d => LibvirtConnection.GetName(d) == "instance-paused");
            Assert.Equal("bbbbbbbb-0000-4000-8000-00000000000b", LibvirtConnection.GetUuid(paused));
            Assert.Equal(6u, LibvirtConnection.GetId(paused));
            var info = LibvirtConnection.GetInfo(paused);
            Assert.Equal(DomainRunState.Paused, info.State);
            Assert.Equal(4, info.Vcpus);
            Assert.True(info.CpuTimeNs > 0);
            Assert.Contains("<nova:name>vm-paused</nova:name>", LibvirtConnection.GetXmlDesc(paused), StringComparison.Ordinal);
            Assert.True(LibvirtConnection.GetCpuTotalTime(paused) > 0);
        }
        finally
        {
            foreach (var d in domains)
                d.Dispose();
        }
    }

    [Fact]
    public void Device_stats_for_unknown_device_throw()
    {
        using var conn = LibvirtConnection.OpenReadOnly(Fixtures.Uri(Fixtures.Node));
        var domains = conn.ListActiveDomains();
        try
        {
            var first = domains.Single(d => LibvirtConnection.GetName(d) == "instance-00000001");
            Assert.True(LibvirtConnection.GetBlockStats(first, "vda").ReadBytes > 0);
            Assert.True(LibvirtConnection.GetInterfaceStats(first, "tap22222222-00").RxBytes > 0);
            Assert.Throws<LibvirtException>(() => LibvirtConnection.GetBlockStats(first, "vdz"));
            Assert.Throws<LibvirtException>(() => LibvirtConnection.GetInterfaceStats(first, "tap-gone"));
        }
        finally
        {
            foreach (var d in domains)
                d.Dispose();
        }
    }

    [Fact]
    public void Bulk_stats_of_the_test_driver_carry_state_only()
    {
        using var conn = LibvirtConnection.OpenReadOnly(Fixtures.Uri(Fixtures.Node));

        var records = conn.GetAllDomainStats(
            Native.LibvirtNative.DomainStatsState | Native.LibvirtNative.DomainStatsCpuTotal,
            Native.LibvirtNative.ConnectListDomainsActive | Native.LibvirtNative.GetAllDomainsStatsNoWait);

        Assert.Equal(7, records.Count);
        Assert.Equal((int)DomainRunState.Paused, records["bbbbbbbb-0000-4000-8000-00000000000b"].State);
        Assert.Equal((int)DomainRunState.Running, records["aaaaaaaa-0000-4000-8000-00000000000a"].State);
        Assert.All(records.Values, r => Assert.Null(r.CpuTimeNs));
    }
}
