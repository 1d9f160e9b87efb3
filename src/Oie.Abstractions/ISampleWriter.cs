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
}
