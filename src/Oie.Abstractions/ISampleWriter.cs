namespace Oie.Abstractions;

/// <summary>
/// Receives the samples of one cycle. Samples are grouped by instance so that an instance that stops being collected
/// ages out of the exposition as a whole.
/// </summary>
public interface ISampleWriter
{
    /// <param name="family">One of the collector's <see cref="ICollector.Families"/>.</param>
    /// <param name="instance">The instance the sample describes.</param>
    /// <param name="value">The sample value.</param>
    /// <param name="labelValues">One value per <see cref="MetricFamily.LabelNames"/>, in the same order.</param>
    void Write(MetricFamily family, Instance instance, double value, params ReadOnlySpan<string> labelValues);

    /// <summary>A sample about the hypervisor as a whole (e.g. the conntrack table's fill), not about one instance.
    /// It is replaced by every cycle and expires like an instance's samples.</summary>
    void WriteHostSample(MetricFamily family, double value, params ReadOnlySpan<string> labelValues);
}
