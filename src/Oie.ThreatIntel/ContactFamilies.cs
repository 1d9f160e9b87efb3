using Oie.Abstractions;

namespace Oie.ThreatIntel;

public static class ContactFamilies
{
    /// <summary>Labels of every contact metric, in exposition order.</summary>
    public static readonly string[] LabelNames = ["domain", "instance_uuid", "project_uuid", "user_uuid"];

    /// <summary>The contact metric of a feed: a gauge named and described by its descriptor.</summary>
    public static MetricFamily For(FeedDescriptor feed) =>
        new(feed.MetricName, feed.Help, MetricType.Gauge, LabelNames);
}
