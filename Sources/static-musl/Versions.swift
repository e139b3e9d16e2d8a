import ArgumentParser
import StaticMuslKit

struct Versions: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the Swift toolchain, the musl the musl variants link (and the other `--musl` choices) and glibc.",
        discussion: "One `NAME VALUE` pair per line. `musl` is the default musl (`--musl` not given); `musl-choices` lists what `--musl` accepts; `musl-dev` is the system package Debian's musl-gcc compiles against.")
    func run() throws {
        let v = ToolchainVersions.detect()
        print("swift \(v.swift)\nmusl \(v.musl)\nmusl-choices \(MuslSource.versions.joined(separator: ","))\n"
              + "musl-dev \(ToolchainVersions.installedMuslVersion())\nglibc \(v.glibc)\ntoolchain-root \(v.root)")
    }
}
