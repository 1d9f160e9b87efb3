using Oie.Feeds.CustomList;

namespace Oie.Feeds.CustomList.Tests;

public class CustomListFlagsTests
{
    [Theory]
    [InlineData("customlist.path", "\"\"")]
    [InlineData("customlist.refresh", "10m0s")]
    public void Seed_flags_and_defaults(string name, string defaultText)
    {
        Assert.True(FeedHarness.FlagsOf<CustomListFeed>().TryGet(name, out var flag), $"-{name} is missing");
        Assert.Equal(defaultText, flag.DefaultText);
    }

    [Fact]
    public void The_enable_switch_is_the_hosts()
    {
        Assert.Equal(["customlist.path", "customlist.refresh"], FeedHarness.FlagsOf<CustomListFeed>().Flags.Select(f => f.Name));
    }

    [Fact]
    public void Descriptor_names_the_file()
    {
        var descriptor = FeedHarness.Create<CustomListFeed>("-customlist.path=/opt/openstack_instance_exporter/custom-ips.txt").Descriptor;

        Assert.Equal("customlist", descriptor.Name);
        Assert.Equal("oie_customlist_contact", descriptor.MetricName);
        Assert.Equal("1 if this instance communicated with an IP from the user-provided custom list", descriptor.Help);
        Assert.Equal([new Uri("file:///opt/openstack_instance_exporter/custom-ips.txt")], descriptor.Sources);
        Assert.Equal(TimeSpan.FromMinutes(10), descriptor.Refresh);
    }

    [Theory]
    [InlineData("custom-ips.txt")]
    [InlineData("lists/with space/ips #1.txt")]
    [InlineData("lists/100%.txt")]
    public void A_path_is_made_absolute_and_survives_the_uri(string path)
    {
        var source = Assert.Single(FeedHarness.Create<CustomListFeed>($"-customlist.path={path}").Descriptor.Sources);

        Assert.True(source.IsFile);
        Assert.Equal(Path.GetFullPath(path), source.LocalPath);
    }

    [Theory]
    [InlineData()]
    [InlineData("-customlist.path=")]
    [InlineData("-customlist.path=  ")]
    public void Without_a_path_the_factory_refuses_naming_the_flag(params string[] args)
    {
        var error = Assert.Throws<ArgumentException>(() => FeedHarness.Create<CustomListFeed>(args));

        Assert.Contains("-customlist.path", error.Message);
    }

    [Fact]
    public void Bad_refresh_fails_naming_the_flag()
    {
        var result = FeedHarness.ParseFlags<CustomListFeed>("-customlist.refresh=0");

        Assert.False(result.Success);
        Assert.Contains("-customlist.refresh", result.Error);
    }
}
