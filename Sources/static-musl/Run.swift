import ArgumentParser
import Foundation
import StaticMuslKit

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an image from `build --image` in a real container runtime (podman with runc).",
        discussion: """
        As a user's `docker run --rm --network none IMAGE` would: Debian's podman (installed when missing, as root) \
        with runc, in storage of its own that is removed afterwards. Exits with the program's status; 1 when the \
        runtime could not run the image, 2 on bad input.
        """)

    @Flag(name: .long, help: "Print JSON: {engine, exit_status, signal, timed_out, stdout, stderr, elapsed_ms}.")
    var json = false
    @Option(name: .long, help: "Seconds before the run is killed (loading the image takes a few more).")
    var timeout: Double = 120
    @Flag(name: .long, help: "Share the host's network (default: none).")
    var hostNetwork = false
    @Argument(help: "The OCI archive (IMAGE.tar).")
    var image: String
    @Argument(parsing: .postTerminator, help: "Arguments for the image's entrypoint (after --).")
    var arguments: [String] = []

    func run() throws {
        var options = OCIRuntime.Options(image: image, arguments: arguments)
        options.timeout = timeout
        options.hostNetwork = hostNetwork
        let result: OCIRuntime.Result
        do { result = try OCIRuntime.run(options) } catch let error as OCIRuntime.RuntimeError {
            FileHandle.standardError.write(Data("static-musl run: \(error)\n".utf8))
            throw ExitCode(error.isInputError ? 2 : 1)
        } catch {
            FileHandle.standardError.write(Data("static-musl run: \(error)\n".utf8))
            throw ExitCode(1)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            FileHandle.standardOutput.write(Data(result.stdout.utf8))
            FileHandle.standardError.write(Data(result.stderr.utf8))
        }
        if result.timedOut {
            FileHandle.standardError.write(Data("static-musl run: timed out after \(timeout) s\n".utf8))
            throw ExitCode(1)
        }
        if let status = result.exitStatus, status != 0 { throw ExitCode(status) }
        if let signal = result.signal { throw ExitCode(128 + signal) }
    }
}
