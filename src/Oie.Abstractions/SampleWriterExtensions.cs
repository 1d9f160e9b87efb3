namespace Oie.Abstractions;

public static class SampleWriterExtensions
{
    /// <summary>Writes the sample when libvirt reported the value this cycle, nothing when it did not: a reading
    /// libvirt did not give is absent, never 0.</summary>
    public static void WriteReported(this ISampleWriter writer, MetricFamily family, Instance instance, double? value,
        params ReadOnlySpan<string> labelValues)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } reported)
        {
            writer.Write(family, instance, reported, labelValues);
        }
    }
}
