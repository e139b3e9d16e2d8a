import ArgumentParser
import StaticMuslKit

struct DNS: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dns", abstract: "Run the hermetic DNS lab: musl vs glibc stub resolvers, measured on the wire.")
    func run() throws {
        throw ValidationError("'dns' is not implemented yet")
    }
}
