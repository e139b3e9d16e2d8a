// malloc-bench: one malloc measurement, as one JSON line on stdout.
//   malloc-bench --workload W --threads N --duration S [--spawn-single] [--seed N]
//   malloc-bench --info        the libc and allocator linked in, as JSON
//   malloc-bench --list        the workload names
// Built in every variant by toolchain/build-static.sh; the harness
// (StaticMuslKit/Malloc) runs it as a child process. No Foundation: the
// binary stays small and nothing but the workload allocates or spawns.
import CShimPlatform
import CShimProbe

func fail(_ message: String) -> Never { cshim_malloc_fail("malloc-bench", message) }

func json(_ s: String) -> String {
    var out = "\""
    for c in s.unicodeScalars {
        switch c {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case _ where c.value < 0x20: out += "\\u00" + (c.value < 0x10 ? "0" : "") + String(c.value, radix: 16)
        default: out.unicodeScalars.append(c)
        }
    }
    return out + "\""
}

func number(_ d: Double) -> String { d.isFinite ? "\(d)" : "0" }

let identity = "\"libc\":\(json(String(cString: cshim_libc_name()))),"
    + "\"libc_version\":\(json(String(cString: cshim_libc_version()))),"
    + "\"allocator\":\(json(String(cString: cshim_malloc_allocator())))"

var workload: String?
var threads = 1, spawnSingle = false, duration = 1.0
var seed: UInt64 = 1
var args = CommandLine.arguments.dropFirst()
func value(_ flag: String) -> String {
    guard let v = args.popFirst() else { fail("\(flag) needs a value") }
    return v
}
while let arg = args.popFirst() {
    switch arg {
    case "--info": print("{\(identity)}"); exit(0)
    case "--list":
        String(cString: cshim_malloc_workloads()).split(separator: ",").forEach { print($0) }
        exit(0)
    case "--workload": workload = value(arg)
    case "--threads":
        let v = value(arg)
        guard let n = Int(v), (1...1024).contains(n) else { fail("--threads must be 1...1024, not '\(v)'") }
        threads = n
    case "--duration":
        let v = value(arg)
        guard let d = Double(v), d > 0, d < 86400 else { fail("--duration must be seconds > 0, not '\(v)'") }
        duration = d
    case "--seed":
        let v = value(arg)
        guard let s = UInt64(v) else { fail("--seed must be an unsigned integer, not '\(v)'") }
        seed = s
    case "--spawn-single": spawnSingle = true
    default: fail("unknown argument '\(arg)' (use --workload W --threads N --duration S [--spawn-single] [--seed N], --info, --list)")
    }
}
guard let workload else { fail("--workload is required (one of: \(String(cString: cshim_malloc_workloads())))") }

var ops: UInt64 = 0
var elapsed = 0.0
let rc = cshim_malloc_run(workload, Int32(threads), spawnSingle ? 1 : 0, duration, seed, &ops, &elapsed)
switch rc {
case 0: break
case -1: fail("unknown workload '\(workload)' (one of: \(String(cString: cshim_malloc_workloads())))")
case -3: fail("could not create \(threads) threads")
case -4: fail("malloc returned NULL during \(workload)")
default: fail("bad arguments (status \(rc))")
}
var user = 0.0, sys = 0.0
var rss: Int64 = 0
_ = cshim_malloc_rusage(&user, &sys, &rss)
print("{\"workload\":\(json(workload)),\"threads\":\(threads),\"spawn_single\":\(spawnSingle),"
      + "\"ops\":\(ops),\"elapsed_s\":\(number(elapsed)),\"user_s\":\(number(user)),\"sys_s\":\(number(sys)),"
      + "\"peak_rss_kb\":\(rss),\(identity)}")
