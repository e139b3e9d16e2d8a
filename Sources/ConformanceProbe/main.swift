// conformance-probe: prints one deterministic line per check, `id<TAB>value`.
// Usage: conformance-probe [--only PREFIX]... [--after ID]
//                                               run the checks (all by default;
//                                               --after: only those listed after ID,
//                                               so a runner can resume after a crash)
//        conformance-probe --list               print the check ids
//        conformance-probe --child MODE [ARG]   internal: the helper modes that
//                                               checks run in a child process
// Crash checks and environment-dependent checks (TZ, HOME) re-execute this
// binary with --child, so a crash never kills the run.
import CShimPlatform
import CShimProbe
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
var after: String?
var index = 0
while index < arguments.count {
    if arguments[index] == "--only", index + 1 < arguments.count {
        prefixes.append(arguments[index + 1]); index += 2
    } else if arguments[index] == "--after", index + 1 < arguments.count {
        after = arguments[index + 1]; index += 2
    } else {
        FileHandle.standardError.write("conformance-probe: unknown argument '\(arguments[index])' (use --only PREFIX, --after ID, --list)\n".data(using: .utf8)!)
        exit(2)
    }
}
setvbuf(stdout, nil, _IOLBF, 0)
var selected = allChecks
if let after {
    guard let position = allChecks.firstIndex(where: { $0.id == after }) else {
        FileHandle.standardError.write("conformance-probe: no check named '\(after)'\n".data(using: .utf8)!)
        exit(2)
    }
    selected = Array(allChecks[(position + 1)...])
} else {
    print("probe.libc\t\(String(cString: cshim_libc_name()))")
}
for check in selected where prefixes.isEmpty || prefixes.contains(where: { check.id.hasPrefix($0) }) {
    let value: String
    do { value = try await check.body() } catch { value = "error: \(describe(error))" }
    print("\(check.id)\t\(oneLine(value))")
}
