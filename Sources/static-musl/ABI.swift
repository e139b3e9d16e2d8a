import ArgumentParser
import StaticMuslKit

struct ABI: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "abi", abstract: "Compare struct layouts and constants between glibc and musl headers.")
    func run() throws {
        throw ValidationError("'abi' is not implemented yet")
    }
}
