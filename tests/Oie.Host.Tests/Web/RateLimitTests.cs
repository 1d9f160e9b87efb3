using Microsoft.Extensions.Time.Testing;
using Oie.Host.Web;

namespace Oie.Host.Tests.Web;

/// <summary>rate_limit as the toolkit's token bucket (Go's rate.Limiter Allow): burst at once, one more per interval.</summary>
public class RateLimitTests
{
    [Fact]
    public void A_burst_is_admitted_then_one_request_per_interval()
    {
        var time = new FakeTimeProvider();
        var limit = new RateLimit(new RateLimitConfig(TimeSpan.FromSeconds(1), 2), time);
        Assert.True(limit.TryTake());
        Assert.True(limit.TryTake());
        Assert.False(limit.TryTake());
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.False(limit.TryTake());
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(limit.TryTake());
        Assert.False(limit.TryTake());
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(limit.TryTake());
        Assert.True(limit.TryTake());
        Assert.False(limit.TryTake()); // never more than the burst saved up
    }

    [Fact]
    public void A_burst_of_zero_admits_nothing_as_in_go()
    {
        var time = new FakeTimeProvider();
        var limit = new RateLimit(new RateLimitConfig(TimeSpan.FromSeconds(1), 0), time);
        Assert.False(limit.TryTake());
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(limit.TryTake());
    }
}
