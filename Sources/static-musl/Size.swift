import ArgumentParser
import StaticMuslKit

struct Size: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "size", abstract: "Attribute every byte of a static binary to sections, archives and modules.")
    func run() throws {
        throw ValidationError("'size' is not implemented yet")
    }
}
