using Oie.Abstractions;

namespace Oie.ThreatIntel;

public static class ContactFamilies
{
    /// <summary>Labels of every contact metric, in exposition order.</summary>
    public static readonly string[] LabelNames = ["domain", "instance_uuid", "project_uuid", "user_uuid"];

    /// <summary>Entries of an instance whose remote endpoint a feed lists, by feed and by who opened the flow
    /// (<c>-threat.flows.enable</c>).</summary>
    public static readonly MetricFamily Flows = new("oie_threat_contact_flows",
        "Conntrack entries of this instance in the last cycle whose remote endpoint the feed lists, by who opened the flow (outbound: the instance)",
        MetricType.Gauge, [.. LabelNames, "feed", "direction"]);

    /// <summary>The contact metric of a feed: a gauge named and described by its descriptor.</summary>
    public static MetricFamily For(FeedDescriptor feed) =>
        new(feed.MetricName, feed.Help, MetricType.Gauge, LabelNames);
}
