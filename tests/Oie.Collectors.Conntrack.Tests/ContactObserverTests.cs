using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Oie.Collectors.Conntrack;
using Oie.Conntrack;
using Oie.Net;

namespace Oie.Collectors.Conntrack.Tests;

/// <summary>The seam the threat matchers plug into: the remote endpoint of every matched flow, in the same pass.</summary>
public sealed class ContactObserverTests
{
    private sealed class Recorder(FixedIpIndex index) : IContactObserver
    {
        public List<string> Contacts { get; } = [];

        public void OnContact(int fixedIpSlot, in IpKey remote, FlowDirection direction) =>
            Contacts.Add($"{index[fixedIpSlot].Key} {direction} {remote}");
    }

    [Fact]
    public void Each_cycle_gets_a_fresh_observer_over_that_cycles_index_and_sees_every_remote_endpoint()
    {
        var observers = new List<Recorder>();
        var options = Conntrack.Create($"-conntrack.path={Conntrack.Fixture("spellings.txt")}", "-conntrack.min=1").Options;
        var collector = new ConntrackCollector(options, new PluginContext(NullLoggerFactory.Instance, new FakeTimeProvider()),
            index =>
            {
                var recorder = new Recorder(index);
                observers.Add(recorder);
                return recorder;
            });
        var vm = Vm.With(InstanceBuilder.Nova(), "2001:db8::1", "192.168.1.10");

        collector.Run(Cycle.Of(0, vm));
        collector.Run(Cycle.Of(1, vm));

        Assert.Equal(2, observers.Count);
        Assert.Equal(
            [
                "2001:db8::1 Outbound 2001:db8::99",
                "2001:db8::1 Inbound 2001:db8::2",
                "192.168.1.10 Outbound 203.0.113.7",
                "192.168.1.10 Outbound 192.168.1.10",
            ],
            observers[1].Contacts);
        Assert.Equal(observers[0].Contacts, observers[1].Contacts);
    }
}
