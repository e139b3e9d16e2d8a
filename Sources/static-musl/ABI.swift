import ArgumentParser
import Foundation
import StaticMuslKit

struct ABI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abi",
        abstract: "Compare struct layouts and constants between glibc and musl headers.",
        discussion: "The item list is derived from the toolchain's glibc.modulemap and Foundation C shims (see CShim/abi/README.md). Prints a Markdown report; exits 1 when there are mismatches.")

    @Option(name: .long, help: "Write the JSON report here.")
    var json: String?
    @Option(name: .long, help: "Swift toolchain root holding usr/lib/swift (default: the one `swift` runs from).")
    var toolchain: String?
    @Option(name: .long, help: "Also audit the types of this header (repeatable).")
    var header: [String] = []

    func run() throws {
        do {
            let report = try ABIAudit.runForProject(toolchainRoot: toolchain, extraHeaders: header)
            if let json { try report.json().write(to: URL(fileURLWithPath: json)) }
            print(report.markdown(), terminator: "")
            if report.summary.mismatches > 0 {
                throw ExitStatus.fail("abi", "\(report.summary.mismatches) item(s) differ between glibc and musl", .checkFailed)
            }
        } catch let e as ExitCode { throw e } catch { throw CLIFailure(error) }
    }
}
