namespace Oie.Libvirt;

/// <summary>Exponential reconnect backoff (1 s doubling to 60 s), measured on a <see cref="TimeProvider"/>; never sleeps.</summary>
internal sealed class ReconnectBackoff(TimeProvider timeProvider)
{
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(60);

    private TimeSpan _next = Initial;
    private TimeSpan _wait;
    private long? _failedAt;

    /// <summary>True when no failure is pending or its wait has passed.</summary>
    public bool CanAttempt => RetryIn <= TimeSpan.Zero;

    public TimeSpan RetryIn => _failedAt is { } at ? _wait - timeProvider.GetElapsedTime(at) : TimeSpan.Zero;

    public void Failed()
    {
        _failedAt = timeProvider.GetTimestamp();
        _wait = _next;
        _next = _next * 2 > Max ? Max : _next * 2;
    }

    public void Succeeded()
    {
        _failedAt = null;
        _next = Initial;
    }
}
