import Foundation

private func summary(_ r: ChildResult) -> String {
    "status=\(r.status) signaled=\(r.signaled) out=\(r.stdout.trimmingCharacters(in: .newlines)) err=\(r.stderr.trimmingCharacters(in: .newlines))"
}

let processChecks: [Check] = [
    Check("process.info.environment") {
        let env = ProcessInfo.processInfo.environment
        setenv("CONFORMANCE_SET_BY_LIBC", "yes", 1)
        let seen = ProcessInfo.processInfo.environment["CONFORMANCE_SET_BY_LIBC"] ?? "nil"
        unsetenv("CONFORMANCE_SET_BY_LIBC")
        return "mark=\(env["CONFORMANCE_MARK"] ?? "nil") path=\(env["PATH"] != nil) libcSetenvSeen=\(seen)"
    },
    Check("process.info.arguments") {
        let a = ProcessInfo.processInfo.arguments
        let pi0 = a.first ?? "", cl0 = CommandLine.arguments.first ?? ""
        return "count=\(a.count) equal0=\(pi0 == cl0) pi0=\(pi0.hasPrefix("/") ? "absolute" : "relative"):\(pi0.split(separator: "/").last ?? "") cl0=\(cl0.hasPrefix("/") ? "absolute" : "relative"):\(cl0.split(separator: "/").last ?? "") rest=\(a.dropFirst())"
    },
    Check("process.info.hostname") {
        var u = utsname(); uname(&u)
        let node = withUnsafeBytes(of: &u.nodename) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        let host = ProcessInfo.processInfo.hostName
        return "\(host) equalsUname=\(host == node || host.hasPrefix(node + "."))"
    },
    Check("process.info.processors") {
        let p = ProcessInfo.processInfo
        return "count=\(p.processorCount) active=\(p.activeProcessorCount) sysconf=\(sysconf(Int32(_SC_NPROCESSORS_ONLN)))"
    },
    Check("process.info.memory_os") {
        let p = ProcessInfo.processInfo
        let pages = UInt64(sysconf(Int32(_SC_PHYS_PAGES))) * UInt64(sysconf(Int32(_SC_PAGESIZE)))
        return "physicalMemoryMatchesSysconf=\(p.physicalMemory == pages) os=\(p.operatingSystemVersionString.hasPrefix("Linux") ? "Linux…" : p.operatingSystemVersionString) major>=3=\(p.operatingSystemVersion.majorVersion >= 3) pid>0=\(p.processIdentifier > 0)"
    },
    Check("process.spawn.arguments") {
        summary(try spawn("/bin/echo", ["a b", "ü", "", "$HOME", "*"]))
    },
    Check("process.spawn.environment") {
        summary(try spawn("/bin/sh", ["-c", "echo \"$FOO|${HOME-unset}\"; env | wc -l"], environment: ["FOO": "bar baz"]))
    },
    Check("process.spawn.exit_codes") {
        try [0, 1, 7, 255].map { code -> String in
            let r = try spawn("/bin/sh", ["-c", "exit \(code)"])
            return "\(r.status)/\(r.signaled)"
        }.joined(separator: ",")
    },
    Check("process.spawn.signal") {
        let term = try spawn("/bin/sh", ["-c", "kill -TERM $$; echo survived"])
        let kill = try spawn("/bin/sh", ["-c", "kill -KILL $$"])
        return "TERM: \(summary(term)) KILL: \(summary(kill))"
    },
    Check("process.spawn.pipes") {
        let r = try spawn("/bin/sh", ["-c", "cat; echo to-stderr >&2; head -c 100000 /dev/zero | tr '\\0' x"], stdin: "line1\nline2\n")
        return "out=\(r.stdout.prefix(12).debugDescription) outBytes=\(r.stdout.utf8.count) err=\(r.stderr.trimmingCharacters(in: .newlines)) status=\(r.status)"
    },
    Check("process.spawn.cwd") {
        summary(try spawn("/bin/sh", ["-c", "pwd"], cwd: "/"))
    },
    Check("process.spawn.missing_executable") {
        do { _ = try spawn("/nonexistent-conformance/bin/tool", []); return "ran" } catch { return describe(error) }
    },
    Check("process.spawn.not_executable") {
        do { _ = try spawn("/etc/hostname", []); return "ran" } catch { return describe(error) }
    },
    Check("process.spawn.bad_cwd") {
        do { let r = try spawn("/bin/true", [], cwd: "/nonexistent-conformance"); return summary(r) } catch { return describe(error) }
    },
    Check("process.posix_spawn") {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup("exit 3"), nil]
        defer { argv.forEach { free($0) } }
        let rc = posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let missing = posix_spawn(&pid, "/nonexistent-conformance", nil, nil, argv, environ)
        if missing == 0 { waitpid(pid, &status, 0) }
        return "rc=\(rc) exit=\((status >> 8) & 0xff) missingRc=\(missing)"
    },
]

/// The helper modes: `--child MODE`. Each prints its value and exits 0, or
/// crashes on purpose (the crash checks).
enum ChildMode {
    static func run(_ args: [String]) -> Int32 {
        switch args.first {
        case "tz": print(localTimeSummary())
        case "home": print(homeSummary())
        case "locale": print(localeSummary())
        case "crash": crash(args.dropFirst().first ?? "")
        default:
            FileHandle.standardError.write("conformance-probe: unknown child mode \(args)\n".data(using: .utf8)!)
            return 2
        }
        return 0
    }
}
