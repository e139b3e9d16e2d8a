import ArgumentParser
import StaticMuslKit

struct Versions: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the toolchain, musl and glibc versions this machine has.")
    func run() throws {
        let v = ToolchainVersions.detect()
        print("swift \(v.swift)\nmusl \(v.musl)\nglibc \(v.glibc)\ntoolchain-root \(v.root)")
    }
}
