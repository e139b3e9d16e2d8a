import ArgumentParser
import Foundation
import StaticMuslKit

/// `static-musl sysroot`: prepare (build if needed) the cached musl sysroot and describe it.
struct SysrootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sysroot",
        abstract: "Prepare the cached musl sysroot (building it if needed) and describe it.",
        discussion: """
        The sysroot holds musl's headers and static libraries, the kernel headers,
        a musl-gcc that uses them and CShim's libcshim_compat.a. It is cached under
        <project>/.build-static/sysroots (or $STATIC_MUSL_SYSROOT_CACHE) by the hash
        of its inputs; see docs/sysroot.md.
        A musl other than Debian's musl-dev (1.2.3) is built from Debian's source
        package first (once, about 40 s on 2 cores; cached under
        <project>/.build-static/musl).
        """)

    @Flag(name: .long, help: "Print only the sysroot's path.")
    var printPath = false

    @Flag(name: .long, help: "Print its sysroot.json (pretty, sorted keys).")
    var json = false

    @Option(help: ArgumentHelp("The musl version: \(MuslSource.versionsHelp).", valueName: "VERSION"))
    var musl: String = MuslSource.defaultVersion

    func validate() throws {
        if printPath, json { throw ValidationError("--print-path and --json cannot be combined") }
        if MuslSource(version: musl) == nil {
            // Usage error: one line, exit 2.
            throw ExitStatus.fail("sysroot", "\(SysrootError.unknownMuslVersion(musl, choices: MuslSource.versions))", .usage)
        }
    }

    func run() throws {
        let sysroot: Sysroot
        do {
            guard let root = ProjectLayout.root() else {
                throw ValidationError("cannot find the project checkout (run inside it, or set STATIC_MUSL_ROOT)")
            }
            sysroot = try Sysroot.prepare(projectRoot: root, musl: try MuslSource.named(musl))
        } catch { throw CLIFailure(error) }
        if printPath {
            print(sysroot.path)
        } else if json {
            print(String(decoding: try sysroot.metadata.jsonData(), as: UTF8.self))
        } else {
            print(sysroot.summary, terminator: "")
        }
    }
}
