// libvirtd, QEMU, network namespaces and conntrack: Linux only, as the exporter.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
// Every test here shares one libvirtd (there can be only one qemu:///system), and some kill and restart it.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
