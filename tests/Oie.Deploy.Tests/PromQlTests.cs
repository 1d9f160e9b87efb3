namespace Oie.Deploy.Tests;

public class PromQlTests
{
    [Theory]
    [InlineData("up{job=\"x\"} == 0", "up")]
    [InlineData("rate(oie_disk_r_requests{a=~\"$v\"}[5m]) > oie_disk_r_alert_threshold", "oie_disk_r_alert_threshold,oie_disk_r_requests")]
    [InlineData("sum by (instance, domain) (rate(oie_net_rx_gbytes[1m])) * 1073741824", "oie_net_rx_gbytes")]
    [InlineData("count(oie_tor_contact) or vector(0)", "oie_tor_contact")]
    [InlineData("a / on(instance) group_left(x) b offset 5m", "a,b")]
    [InlineData("time() - (x_seconds > 0)", "x_seconds")]
    [InlineData("label_replace(m, \"dst\", \"$1\", \"src\", \"(.*)\")", "m")]
    [InlineData("max_over_time(oie_customlist_contact[15m]) > 2.5e3", "oie_customlist_contact")]
    [InlineData("{__name__=\"named\"}", "named")]
    public void Finds_the_metric_names_of_an_expression(string expr, string expected)
    {
        Assert.Equal(expected.Split(','), PromQl.MetricNames(expr));
    }
}
