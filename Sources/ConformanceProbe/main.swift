// conformance-probe: prints one deterministic line per check, `id<TAB>value`.
// Usage: conformance-probe [--only PREFIX]...   run the checks (all by default)
//        conformance-probe --list               print the check ids
//        conformance-probe --child MODE [ARG]   internal: the helper modes that
//                                               checks run in a child process
// Crash checks and environment-dependent checks (TZ, HOME) re-execute this
// binary with --child, so a crash never kills the run.
import CShim
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "--child" {
    exit(ChildMode.run(Array(arguments.dropFirst())))
}
if arguments.first == "--list" {
    for check in allChecks { print(check.id) }
    exit(0)
}
var prefixes: [String] = []
var index = 0
while index < arguments.count {
    if arguments[index] == "--only", index + 1 < arguments.count {
        prefixes.append(arguments[index + 1]); index += 2
    } else {
        FileHandle.standardError.write("conformance-probe: unknown argument '\(arguments[index])' (use --only PREFIX, --list)\n".data(using: .utf8)!)
        exit(2)
    }
}
setvbuf(stdout, nil, _IOLBF, 0)
print("probe.libc\t\(String(cString: cshim_libc_name()))")
for check in allChecks where prefixes.isEmpty || prefixes.contains(where: { check.id.hasPrefix($0) }) {
    let value: String
    do { value = try await check.body() } catch { value = "error: \(describe(error))" }
    print("\(check.id)\t\(oneLine(value))")
}
