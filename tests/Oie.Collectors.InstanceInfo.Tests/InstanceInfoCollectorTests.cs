using Microsoft.Extensions.Time.Testing;
using Oie.Collectors.InstanceInfo;
using Snapshooter.Xunit;

namespace Oie.Collectors.InstanceInfo.Tests;

public sealed class InstanceInfoCollectorTests
{
    private static RecordingSampleWriter Run(params Instance[] vms) =>
        Plugin.Create<InstanceInfoCollector>(new FakeTimeProvider()).Run(Cycle.Of(0, vms));

    [Fact]
    public void Families_and_flags_match_the_snapshot()
    {
        var collector = Plugin.Create<InstanceInfoCollector>(new FakeTimeProvider());
        Snapshot.Match(Contract.Of<InstanceInfoCollector>(collector));
    }

    [Fact]
    public void Every_instance_gets_one_series_of_1_with_the_seeds_identity_labels_then_novas_names()
    {
        var nova = InstanceBuilder.Nova("instance-0000000a", "aaaaaaaa-0000-0000-0000-00000000000a").Build();
        var named = new Instance(nova.Facts with
        {
            InstanceName = "web-1",
            FlavorName = "m1.small",
            UserName = "alice",
            ProjectName = "shop",
            ImageUuid = "44444444-0000-4000-8000-000000000001",
        }, nova.Stats);
        var samples = Run(named, InstanceBuilder.NonNova()).Samples;

        Assert.Equal(2, samples.Count);
        Assert.All(samples, s => Assert.Equal(("oie_instance_info", 1.0), (s.Name, s.Value)));
        Assert.Equal(["domain", "instance_uuid", "user_uuid", "project_uuid", "instance_name", "flavor", "user_name", "project_name", "image_uuid"],
            samples[0].Family.LabelNames.ToArray());
        Assert.Equal(["instance-0000000a", "aaaaaaaa-0000-0000-0000-00000000000a", "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa",
            "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb", "web-1", "m1.small", "alice", "shop", "44444444-0000-4000-8000-000000000001"], samples[0].Labels);
        // A domain Nova did not create keeps its series, with empty Nova labels (Prometheus drops them).
        Assert.Equal(["plain-vm", "99999999-9999-9999-9999-999999999999", "", "", "", "", "", "", ""], samples[1].Labels);
    }

    [Fact]
    public void The_collector_is_off_unless_switched_on()
    {
        var plugins = File.ReadAllText(Path.Combine(PublishedExporter.RepositoryRoot, "plugins.json"));
        Assert.Matches(@"\{\s*""name"":\s*""instance_info"",\s*""default"":\s*false,", plugins);
    }
}
