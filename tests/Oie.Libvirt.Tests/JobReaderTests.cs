using Microsoft.Extensions.Logging;

namespace Oie.Libvirt.Tests;

/// <summary>The job calls' budget and bookkeeping, with the calls replaced by delegates (a real hung QEMU monitor is in
/// the end-to-end suite). The budget is real time: it is what is under test, not a way to wait for something.</summary>
public class JobReaderTests
{
    private static readonly (string Uuid, string Name)[] Domains = [("a", "instance-a"), ("b", "instance-b"), ("c", "instance-c")];
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private static JobReading Answer(int i) => new(new DomainJob("save", i, null, null, null), []);

    [Fact]
    public void Every_domain_answered_is_read()
    {
        using var reader = NewReader(new LogLines());
        var errors = 0;

        var results = reader.Read(Domains, (_, i) => Answer(i), Generous, ref errors);

        Assert.Equal([0.0, 1.0, 2.0], results.Select(r => r!.Job!.ElapsedSeconds!.Value));
        Assert.Equal(0, errors);
        Assert.Equal(0, reader.InFlight);
    }

    [Fact]
    public async Task Hung_domain_is_not_read_and_gets_no_second_call_until_its_first_returns()
    {
        var log = new LogLines();
        using var reader = NewReader(log);
        using var gate = new ManualResetEventSlim();
        var callsOfB = 0;
        JobReading Read(int i, FakeConnection connection)
        {
            if (i == 1 && Interlocked.Increment(ref callsOfB) == 1)
                gate.Wait(Generous);
            return Answer(i);
        }
        var errors = 0;

        FakeConnection? firstConnection = null, secondConnection = null;
        var first = reader.Read(Domains, (c, i) => Read(i, firstConnection = c), Budget, ref errors);

        Assert.NotNull(first[0]);
        Assert.Null(first[1]);
        Assert.Null(first[2]); // not reached by the worker this cycle
        Assert.Equal(1, errors);
        Assert.Equal(1, reader.InFlight);
        Assert.Contains(log.Lines, l => l.Contains("instance-b", StringComparison.Ordinal) && l.Contains("did not return", StringComparison.Ordinal));

        var second = reader.Read(Domains, (c, i) => Read(i, secondConnection = c), Generous, ref errors);

        Assert.NotNull(second[0]);
        Assert.Null(second[1]);
        Assert.NotNull(second[2]);
        Assert.Equal(1, Volatile.Read(ref callsOfB));
        Assert.Equal(1, errors); // a skipped domain is not a new error
        // The stuck call keeps its connection; the next cycle's calls go over a new one.
        Assert.NotSame(firstConnection, secondConnection);
        Assert.False(firstConnection!.Disposed);

        gate.Set();
        await Task.WhenAll(reader.Abandoned).WaitAsync(Generous);
        Assert.True(firstConnection.Disposed); // closed by the call that was left with it
        var third = reader.Read(Domains, (c, i) => Read(i, c), Generous, ref errors);
        Assert.False(secondConnection!.Disposed); // an idle connection is kept from cycle to cycle

        Assert.All(third, Assert.NotNull);
        Assert.Equal(2, Volatile.Read(ref callsOfB));
        Assert.Equal(0, reader.InFlight);
    }

    [Fact]
    public void Unsupported_driver_is_not_asked_again_and_warned_about_once()
    {
        var log = new LogLines();
        using var reader = NewReader(log);
        var calls = 0;
        JobReading Read(int i)
        {
            Interlocked.Increment(ref calls);
            throw new LibvirtException(LibvirtException.ErrNoSupport, "virDomainGetJobStats: this function is not supported by the connection driver");
        }
        var errors = 0;

        var first = reader.Read(Domains, (_, i) => Read(i), Generous, ref errors);
        var second = reader.Read(Domains, (_, i) => Read(i), Generous, ref errors);

        Assert.All(first.Concat(second), Assert.Null);
        Assert.Equal(1, calls);
        Assert.Equal(0, errors);
        Assert.Single(log.Lines, l => l.Contains("does not report domain jobs", StringComparison.Ordinal));

        reader.Reset(); // a new connection
        reader.Read(Domains, (_, i) => Read(i), Generous, ref errors);
        Assert.Equal(2, calls);
    }

    [Fact]
    public void A_failing_or_vanished_domain_costs_only_itself()
    {
        using var reader = NewReader(new LogLines());
        JobReading Read(int i) => i switch
        {
            0 => throw new LibvirtException(LibvirtException.ErrNoDomain, "Domain not found"),
            1 => throw new LibvirtException(68, "Timed out during operation: cannot acquire state change lock"),
            _ => Answer(i),
        };
        var errors = 0;

        var results = reader.Read(Domains, (_, i) => Read(i), Generous, ref errors);

        Assert.Null(results[0]);
        Assert.Null(results[1]);
        Assert.NotNull(results[2]);
        Assert.Equal(1, errors); // the failure; a domain that vanished is not an error
    }

    [Fact]
    public void Too_many_hung_domains_pause_job_reads()
    {
        using var reader = NewReader(new LogLines());
        using var gate = new ManualResetEventSlim();
        var many = Enumerable.Range(0, JobReader<FakeConnection>.MaxAbandoned).Select(i => ($"u{i}", $"instance-{i}")).ToArray();
        JobReading Hang(int i)
        {
            gate.Wait(Generous);
            return Answer(i);
        }
        var errors = 0;
        try
        {
            // Each cycle strands one call (the first domain not yet in flight), or none if its worker had not started.
            for (var cycle = 0; reader.InFlight < JobReader<FakeConnection>.MaxAbandoned && cycle < 200; cycle++)
                reader.Read(many, (_, i) => Hang(i), TimeSpan.FromMilliseconds(50), ref errors);
            Assert.Equal(JobReader<FakeConnection>.MaxAbandoned, reader.InFlight);

            var calls = 0;
            var paused = reader.Read(many, (_, i) => { Interlocked.Increment(ref calls); return Answer(i); }, Generous, ref errors);

            Assert.All(paused, Assert.Null);
            Assert.Equal(0, calls);
        }
        finally
        {
            gate.Set();
        }
    }

    private static JobReader<FakeConnection> NewReader(ILogger log) => new(log, () => new FakeConnection());

    /// <summary>Stands in for the job calls' libvirt connection.</summary>
    internal sealed class FakeConnection : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
