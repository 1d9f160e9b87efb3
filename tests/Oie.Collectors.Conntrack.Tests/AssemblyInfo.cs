// Tests here write shell scripts and then execute them. Run in parallel, another test's fork can inherit the still-open
// write descriptor of a script being written, and exec then fails with ETXTBSY ("text file busy"). Sequential tests
// cannot race that way.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
