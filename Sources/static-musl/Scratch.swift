import ArgumentParser
import Foundation
import StaticMuslKit

struct Scratch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scratch",
        abstract: "Run a binary in an empty, container-like root.",
        discussion: """
        Like `docker run` of an image built FROM scratch: fresh mount, pid, uts and net namespaces; a size-limited \
        tmpfs root holding the binary at /<name>, /proc (masked as runc masks it), runc's /dev nodes, Docker's \
        /etc/hostname, /etc/hosts and /etc/resolv.conf, and nothing else unless --with adds it; pivot_root into it; \
        Docker's default capabilities and no_new_privs; a cgroup with a pids limit (and --memory-limit). No seccomp \
        and no user namespace: see docs/inspect-and-scratch.md. The binary's stdout and stderr are passed through \
        byte for byte as they arrive (with --json, kept up to 1 MiB each, with exact byte counts).

        Exit status: 0 the binary exited 0; 1 it ran and failed (non-zero status, crash, timeout, missing loader: \
        the last stderr line and the JSON give its own status and the verdict); 2 bad usage or input; 3 the \
        sandbox could not be set up. An interrupt (SIGINT, SIGTERM, SIGHUP) ends the sandbox, removes its \
        folders and cgroup, and exits 128 + the signal.
        """)

    @Flag(name: .long, help: "Print JSON: {exit_status, signal, stdout, stderr, verdict, reason, ...}.")
    var json = false

    @Option(name: .long, parsing: .singleValue,
            help: "Comma-separated items to add: passwd, group, certs, tmp, tzdata, hosts, resolv.")
    var with: [String] = []

    @Flag(name: .long, help: "runc-like root without Docker's /etc/hostname, /etc/hosts and /etc/resolv.conf.")
    var bare = false

    @Flag(name: .long, help: "Share the host's network instead of a private namespace with only lo.")
    var hostNetwork = false

    @Flag(name: .long, help: "Do not mount /proc (a static Swift binary then aborts: \"Unable to obtain Swift runtime path\").")
    var noProc = false

    @Option(name: [.short, .long], parsing: .singleValue, help: "Environment variable NAME=VALUE for the binary.")
    var env: [String] = []

    @Option(name: .long, help: "Seconds before the run is killed.")
    var timeout: Double = 30

    @Option(name: .long, help: "Bytes the binary may write in its root (a tmpfs): a number with an optional K, M or G suffix.")
    var diskLimit: String = "256M"

    @Option(name: .long, help: "Most processes and threads the sandbox may have at once (the cgroup's pids.max).")
    var pidsLimit: Int = ScratchRunner.defaultPidsLimit

    @Option(name: .long, help: "Memory limit for the sandbox (cgroup), e.g. 512M; none by default.")
    var memoryLimit: String?

    @Flag(name: .long, help: "Keep every capability (like docker run --privileged); no_new_privs and the limits stay.")
    var privileged = false

    @Flag(name: .long, help: "Run the scratch-readiness battery (C probes, plus --dist's Swift products) instead of FILE.")
    var battery = false

    @Option(name: .long, help: "With --battery: a dist folder whose Sample and embedded-probe variants join the battery.")
    var dist: String?

    @Flag(name: .long, help: "With --battery and --dist: record the verdicts in manifest.json and write scratch-readiness.json.")
    var record = false

    @Argument(help: "The binary to run.")
    var file: String?

    @Argument(parsing: .postTerminator, help: "Arguments for the binary (after --).")
    var arguments: [String] = []

    func validate() throws {
        if !battery, file == nil { throw ValidationError("name the binary to run (or --battery)") }
        if record, dist == nil { throw ValidationError("--record needs --dist") }
        if ByteCount.parse(diskLimit) == nil { throw ValidationError("--disk-limit wants a size such as 256M, got '\(diskLimit)'") }
        if let memoryLimit, ByteCount.parse(memoryLimit) == nil {
            throw ValidationError("--memory-limit wants a size such as 512M, got '\(memoryLimit)'")
        }
    }

    func run() throws {
        if battery { return try runBattery() }
        guard let file else { return }
        var options = ScratchRunner.Options(binary: file, arguments: arguments)
        do { options.with = try ScratchRunner.parseItems(with) } catch {
            throw ExitStatus.fail("scratch", "\(error)", .usage)
        }
        options.bare = bare
        options.isolateNetwork = !hostNetwork
        options.timeout = timeout
        options.mountProc = !noProc
        options.diskLimitBytes = ByteCount.parse(diskLimit) ?? ScratchRunner.defaultDiskLimitBytes
        options.pidsLimit = pidsLimit
        options.memoryLimitBytes = memoryLimit.flatMap(ByteCount.parse)
        options.privileged = privileged
        // Without --json the binary's bytes reach our stdout and stderr as it writes them.
        options.forwardOutput = !json
        for pair in env {
            guard let eq = pair.firstIndex(of: "=") else { throw ValidationError("--env wants NAME=VALUE, got '\(pair)'") }
            options.environment[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        let result: ScratchResult
        do { result = try ScratchRunner.run(options) } catch let error as ScratchError {
            throw ExitStatus.fail("scratch", "\(error)", error.isInputError ? .usage : .environment)
        } catch {
            throw ExitStatus.fail("scratch", "the sandbox could not be set up: \(error)", .environment)
        }
        if json {
            print(String(decoding: try result.jsonData(), as: UTF8.self))
        }
        if !result.cleanupErrors.isEmpty {
            let more = result.cleanupErrors.count > 1 ? " (and \(result.cleanupErrors.count - 1) more in the JSON)" : ""
            FileHandle.standardError.write(Data("static-musl scratch: cleanup: \(result.cleanupErrors[0])\(more)\n".utf8))
        }
        let status = result.exitStatus.map { "exit status \($0)" } ?? result.signal.map { "signal \($0)" } ?? "no status"
        FileHandle.standardError.write(Data("static-musl scratch: \(result.verdict.rawValue): \(result.reason) (\(status))\n".utf8))
        if result.verdict != .ok { throw ExitStatus.checkFailed.code }
    }

    func runBattery() throws {
        let report: ScratchReadinessReport
        do { report = try ScratchReadiness.runFromCLI(dist: dist, record: record) } catch let error as ScratchError where error.isInputError {
            throw ExitStatus.fail("scratch", "\(error)", .usage)
        } catch {
            throw ExitStatus.fail("scratch", "\(error)", .environment)
        }
        print(json ? String(decoding: try report.jsonData(), as: UTF8.self) : report.text)
    }
}
