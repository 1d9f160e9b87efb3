using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Oie.ThreatIntel.Benchmarks.MatcherBenchmarks).Assembly).Run(args);
