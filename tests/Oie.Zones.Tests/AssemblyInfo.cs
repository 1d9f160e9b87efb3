// Open vSwitch, OVN, iptables and network namespaces are Linux things; so is this exporter.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// The real-component tests share one OVN chassis and start daemons and tools; on two cores, one at a time keeps their
// timing far from every deadline.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
