using Microsoft.Extensions.Logging;
using Oie.Conntrack.Reading;

namespace Oie.Collectors.Conntrack.Tests;

/// <summary>Two instances claiming one fixed IP with no zone to tell them apart: both counted, and said so once.</summary>
public sealed class AmbiguityTests
{
    private static readonly Instance Twin = Vm.With(InstanceBuilder.Nova("instance-00000009", "99999999-0000-4000-8000-000000000009"), "10.0.0.5");

    [Fact]
    public void Each_claimant_is_counted_and_one_error_line_names_them_when_the_set_changes()
    {
        var log = new Lines();
        var rig = Conntrack.WithLogger(Conntrack.Create($"-conntrack.path={Conntrack.Fixture("conntrack-extended.txt")}", "-conntrack.min=1"), log);

        var samples = rig.Run(Cycle.Of(0, Vm.A, Twin));
        Assert.Equal([("instance-00000001", "10.0.0.5", 4.0), ("instance-00000001", "fd00::5", 3.0), ("instance-00000009", "10.0.0.5", 4.0)],
            Conntrack.IpTotals(samples).Select(t => (t.Domain, t.Ip, t.Count)));
        var ambiguous = Assert.Single(rig.Table!.Ambiguous);
        Assert.Equal("10.0.0.5", ambiguous.Address.ToString());
        var line = Assert.Single(log.At(LogLevel.Error));
        Assert.Contains("1 fixed IPs are claimed by several instances and no conntrack zone tells them apart", line, StringComparison.Ordinal);
        Assert.Contains($"10.0.0.5 (instance-00000001 {Vm.UuidA}, instance-00000009 99999999-0000-4000-8000-000000000009)", line, StringComparison.Ordinal);

        rig.Run(Cycle.Of(1, Vm.A, Twin));
        Assert.Single(log.At(LogLevel.Error)); // the same set: not repeated

        rig.Run(Cycle.Of(2, Vm.A));
        Assert.Empty(rig.Table.Ambiguous);
        Assert.Contains(log.At(LogLevel.Information), l => l.Contains("attributed to one instance again", StringComparison.Ordinal));

        rig.Run(Cycle.Of(3, Vm.A, Twin));
        Assert.Equal(2, log.At(LogLevel.Error).Count);
    }

    private sealed class Lines : ILogger<ConntrackReader>
    {
        private readonly List<(LogLevel Level, string Text)> _lines = [];

        public IReadOnlyList<string> At(LogLevel level) => [.. _lines.Where(l => l.Level == level).Select(l => l.Text)];

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _lines.Add((logLevel, formatter(state, exception)));

        public bool IsEnabled(LogLevel logLevel) => true;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    }
}
