using Microsoft.Extensions.Time.Testing;

namespace Oie.Libvirt.Tests;

public class ReconnectBackoffTests
{
    [Fact]
    public void Doubles_from_one_second_to_a_sixty_second_cap_and_resets_on_success()
    {
        var time = new FakeTimeProvider();
        var backoff = new ReconnectBackoff(time);
        Assert.True(backoff.CanAttempt);

        var waits = new List<double>();
        for (var i = 0; i < 8; i++)
        {
            backoff.Failed();
            waits.Add(backoff.RetryIn.TotalSeconds);
            time.Advance(backoff.RetryIn - TimeSpan.FromMilliseconds(1));
            Assert.False(backoff.CanAttempt);
            time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.True(backoff.CanAttempt);
        }
        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60], waits);

        backoff.Succeeded();
        backoff.Failed();
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.RetryIn);
    }
}
