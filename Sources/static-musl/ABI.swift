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
    @Option(name: .long, help: "The musl side's version: \(MuslSource.versions.joined(separator: ", ")) (default \(MuslSource.defaultVersion)); a version other than musl-dev's is built here from Debian's source.")
    var musl: String?
    @Flag(name: .long, help: "Also audit the other musl version and print what changes on the musl side.")
    var compareMusl = false

    func validate() throws {
        if let musl, !MuslSource.versions.contains(musl) {
            throw ValidationError("--musl must be one of \(MuslSource.versions.joined(separator: ", ")), not '\(musl)'")
        }
    }

    func run() throws {
        do {
            let report = try ABIAudit.runForProject(toolchainRoot: toolchain, extraHeaders: header, muslVersion: musl)
            if let json { try report.json().write(to: URL(fileURLWithPath: json)) }
            print(report.markdown(), terminator: "")
            if compareMusl {
                let audited = musl ?? MuslSource.defaultVersion
                let other = MuslSource.versions.first { $0 != audited } ?? audited
                let newer = try ABIAudit.runForProject(toolchainRoot: toolchain, extraHeaders: header, muslVersion: other)
                let changes = ABIAudit.muslChanges(from: report, to: newer)
                print("\n## musl \(other) against \(audited)\n\n" + (changes.isEmpty
                    ? "No item changes on the musl side (\(newer.items.count) items).\n"
                    : "\(changes.count) of \(newer.items.count) items change on the musl side:\n\n" + changes.map { "- \($0)\n" }.joined()))
            }
            if report.summary.mismatches > 0 {
                throw ExitStatus.fail("abi", "\(report.summary.mismatches) item(s) differ between glibc and musl", .checkFailed)
            }
        } catch let e as ExitCode { throw e } catch { throw CLIFailure(error) }
    }
}
