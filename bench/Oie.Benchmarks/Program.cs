using System.Diagnostics;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Oie.Benchmarks;
using Oie.Conntrack;

// generate [FILE] [LINES]: write the capture (generate-zones: with the zones of two tenants sharing every address).
// shapes [DIR] [LINES] [REPS] [SHAPE...]: every capture shape against grep (ShapeBench); tool FILE [REPS]: the tool
// source over 4 KiB writes. quick: time 5 cycles with a Stopwatch. dump [NETNS]: time live ctnetlink dumps of a real
// table (as root). Anything else goes to BenchmarkDotNet.
switch (args.FirstOrDefault())
{
    case "generate" or "generate-zones":
        string path = args.Length > 1 ? args[1] : ConntrackBenchmarks.CapturePath;
        int lines = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : CaptureGenerator.DefaultLines;
        CaptureGenerator.Write(path, lines, zones: args[0] == "generate-zones");
        Console.WriteLine($"wrote {lines:N0} lines to {path} ({new FileInfo(path).Length:N0} bytes)");
        return 0;
    case "shapes":
        return ShapeBench.Run(args[1..]);
    case "tool":
        return ShapeBench.RunTool(args[1..]);
    case "quick":
        // A Stopwatch cross-check of the BenchmarkDotNet numbers: min and median of 15 cycles after 5 warm-up cycles.
        var bench = new ConntrackBenchmarks();
        bench.Setup();
        Time("parse only, memory", () => bench.ParseOnly_Memory());
        Time("parse + attribute, memory", () => bench.ParseAndAttribute_Memory());
        Time("parse + attribute, file", () => bench.ParseAndAttribute_File().GetAwaiter().GetResult());
        Time("parse + attribute by zone", () => bench.ParseAndAttributeByZone_Memory());
        var netlink = new NetlinkBenchmarks();
        netlink.Setup();
        Console.WriteLine($"synthetic netlink dump: {netlink.DumpBytes:N0} bytes");
        Time("netlink parse only", () => netlink.NetlinkParseOnly_Memory());
        Time("netlink parse + attribute", () => netlink.NetlinkParseAndAttribute_Memory());
        return 0;
    case "dump":
        // The whole live path: socket (in /run/netns/NETNS when given), dump, parse, attribute against 1,000 instances.
        string? netns = args.Length > 1 ? args[1] : null;
        var liveInstances = CaptureGenerator.Instances();
        long entries = 0;
        Time($"netlink dump + parse + attribute{(netns is null ? "" : " in " + netns)}", () =>
        {
            var attribution = new FlowAttribution(FixedIpIndex.Build(liveInstances));
            entries = Oie.Conntrack.Netlink.ConntrackDump.Read(netns, attribution, CancellationToken.None).Flows;
            return entries;
        });
        Console.WriteLine($"{entries:N0} entries per dump");
        return 0;
    default:
        long captureLines = File.Exists(ConntrackBenchmarks.CapturePath) ? CountLines(ConntrackBenchmarks.CapturePath) : CaptureGenerator.DefaultLines;
        var config = DefaultConfig.Instance.AddColumn(new LinesPerSecondColumn(captureLines));
        BenchmarkSwitcher.FromAssembly(typeof(ConntrackBenchmarks).Assembly).Run(args, config);
        return 0;
}

static long CountLines(string path) => ConntrackTableReader.Read(File.ReadAllBytes(path), new NoSink()).Lines;

static void Time(string name, Func<long> cycle)
{
    for (int i = 0; i < 5; i++)
    {
        cycle();
    }

    var times = new List<double>();
    for (int i = 0; i < 15; i++)
    {
        var watch = Stopwatch.StartNew();
        cycle();
        times.Add(watch.Elapsed.TotalMilliseconds);
    }

    times.Sort();
    Console.WriteLine($"{name,-28} min {times[0],6:F1} ms   median {times[times.Count / 2],6:F1} ms");
}

internal readonly struct NoSink : IFlowSink
{
    public void OnFlow(in ConntrackFlow flow)
    {
    }
}
