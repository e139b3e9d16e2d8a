import ArgumentParser
import Foundation
import StaticMuslKit

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an image from `build --image` in a real container runtime (podman with runc).",
        discussion: """
        As a user's `docker run --rm --network none IMAGE` would: Debian's podman (installed when missing, as root) \
        with runc, in storage of its own that is removed afterwards.

        Exit status: 0 the program exited 0; 1 it ran and failed (non-zero status, killed by a signal, timed out, \
        or its entrypoint could not be executed: the last stderr line and the JSON give its own status); 2 bad \
        usage or input; 3 podman or runc could not be set up or could not run the image.
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
            throw ExitStatus.fail("run", "\(error)", error.isInputError ? .usage : error.isProgramFailure ? .checkFailed : .environment)
        } catch {
            throw ExitStatus.fail("run", "\(error)", .environment)
        }
        if json {
            print(String(decoding: try JSONCoding.pretty(result), as: UTF8.self))
        } else {
            FileHandle.standardOutput.write(Data(result.stdout.utf8))
            FileHandle.standardError.write(Data(result.stderr.utf8))
        }
        // The last stderr line: what the program did, with its own status.
        if result.timedOut {
            throw ExitStatus.fail("run", "timeout: killed after the \(timeout) s time limit", .checkFailed)
        }
        if let signal = result.signal {
            throw ExitStatus.fail("run", "crashed: killed by signal \(signal)", .checkFailed)
        }
        if let status = result.exitStatus, status != 0 {
            throw ExitStatus.fail("run", "failed: exited with status \(status)", .checkFailed)
        }
        if result.exitStatus == nil {
            throw ExitStatus.fail("run", "failed: the program's status was lost", .checkFailed)
        }
        FileHandle.standardError.write(Data("static-musl run: ok: exited 0\n".utf8))
    }
}
