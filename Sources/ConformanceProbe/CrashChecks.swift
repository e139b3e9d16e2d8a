import Foundation

/// Crashes on purpose; runs only in a child (`--child crash KIND`).
func crash(_ kind: String) -> Never {
    switch kind {
    case "fatalError": fatalError("conformance boom")
    case "precondition": precondition(CommandLine.arguments.count < 2, "precondition boom")
    case "overflow":
        var x = Int.max - Int(CommandLine.arguments.count > 100 ? 1 : 0)
        x += CommandLine.arguments.count
        print(x)
    case "force_unwrap":
        let v: Int? = CommandLine.arguments.count > 100 ? 1 : nil
        print(v!)
    case "array_index":
        let a = [1, 2, 3]
        print(a[CommandLine.arguments.count + 5])
    case "abort": abort()
    case "null_deref":
        let p = UnsafeMutablePointer<Int>(bitPattern: CommandLine.arguments.count > 100 ? 8 : 0x10)!
        p.pointee = 1
    case "uncaught_error":
        _ = try! { () throws -> Int in throw ConformanceBoom.boom }()
    default: break
    }
    print("no crash for \(kind)")
    exit(0)
}

/// Turns a crash's output into a deterministic summary: the signal, the
/// message without paths or addresses, and whether a backtrace was printed.
func crashSummary(_ kind: String) throws -> String {
    let r = try child("crash", [kind], environment: environment(setting: [:]))
    let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    var message = "none"
    for marker in ["Fatal error:", "Precondition failed:", "Swift runtime failure:", "*** Signal"] {
        if let l = lines.first(where: { $0.contains(marker) }), let r = l.range(of: marker) {
            message = String(l[r.lowerBound...]).replacingOccurrences(of: " ***", with: "")
                .replacingOccurrences(of: #"(0x|\$)[0-9a-f]{6,}"#, with: "ADDR", options: .regularExpression)
                .replacingOccurrences(of: #"Backtracing from ADDR\.*( done)?"#, with: "", options: .regularExpression)
                .trimmingCharacters(in: .whitespaces)
            break
        }
    }
    let frames = lines.filter { $0.range(of: #"^\s*\d+ .*0x[0-9a-f]+"#, options: .regularExpression) != nil }
    let backtrace: String
    if frames.isEmpty { backtrace = "none" }
    else if frames.contains(where: { $0.contains("crash(_:)") }) { backtrace = "symbolicated" }
    else { backtrace = "addresses-only" }
    let status = r.signaled ? signalName(r.status) : "exit \(r.status)"
    return "\(status) message=\(message) backtrace=\(backtrace)"
}

let crashChecks: [Check] = ["fatalError", "precondition", "overflow", "force_unwrap", "array_index", "abort", "null_deref", "uncaught_error"].map { kind in
    Check("crash.\(kind)") { try crashSummary(kind) }
}

enum ConformanceBoom: Error { case boom }
