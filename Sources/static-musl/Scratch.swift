import ArgumentParser
import Foundation
import StaticMuslKit

struct Scratch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scratch",
        abstract: "Run a binary in an empty, container-like root.",
        discussion: """
        Like `docker run` of an image built FROM scratch: fresh namespaces, /proc, runc's /dev nodes, Docker's \
        /etc/hostname, /etc/hosts and /etc/resolv.conf, the binary at /<name>, and nothing else unless --with adds it. \
        Exits with the binary's status (2 when the run could not be set up).
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
    }

    func run() throws {
        if battery { return try runBattery() }
        guard let file else { return }
        var options = ScratchRunner.Options(binary: file, arguments: arguments)
        options.with = try ScratchRunner.parseItems(with)
        options.bare = bare
        options.isolateNetwork = !hostNetwork
        options.timeout = timeout
        options.mountProc = !noProc
        for pair in env {
            guard let eq = pair.firstIndex(of: "=") else { throw ValidationError("--env wants NAME=VALUE, got '\(pair)'") }
            options.environment[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        let result: ScratchResult
        do { result = try ScratchRunner.run(options) } catch {
            FileHandle.standardError.write(Data("static-musl: scratch: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if json {
            print(String(decoding: try result.jsonData(), as: UTF8.self))
        } else {
            FileHandle.standardOutput.write(Data(result.stdout.utf8))
            FileHandle.standardError.write(Data(result.stderr.utf8))
            FileHandle.standardError.write(Data("static-musl: scratch: \(result.verdict.rawValue): \(result.reason)\n".utf8))
        }
        if result.verdict != .ok { throw ExitCode(result.exitStatus.map { $0 == 0 ? 1 : $0 } ?? 1) }
    }

    func runBattery() throws {
        let report: ScratchReadinessReport
        do { report = try ScratchReadiness.runFromCLI(dist: dist, record: record) } catch {
            FileHandle.standardError.write(Data("static-musl: scratch: \(error)\n".utf8))
            throw ExitCode(2)
        }
        print(json ? String(decoding: try report.jsonData(), as: UTF8.self) : report.text)
    }
}
