import Foundation
import Yams

/// SwiftPM's build description (`<scratch>/<configuration>.yaml`, an
/// llbuild manifest): every command SwiftPM would run, with its tool, inputs,
/// outputs and exact arguments. Read with a YAML parser, never scraped.
public struct BuildDescription: Sendable {
    public struct Command: Sendable, Equatable {
        public var name: String
        public var tool: String
        public var description: String?
        public var inputs: [String]
        public var outputs: [String]
        public var arguments: [String]
    }

    public let commands: [String: Command]

    public init(yaml: String, path: String = "<memory>") throws {
        let raw: RawDescription
        do { raw = try YAMLDecoder().decode(RawDescription.self, from: yaml) } catch {
            throw BuildPlanError.unreadableDescription(path, "\(error)")
        }
        var commands: [String: Command] = [:]
        for (name, c) in raw.commands ?? [:] {
            commands[name] = Command(name: name, tool: c.tool ?? "", description: c.description,
                                     inputs: c.inputs ?? [], outputs: c.outputs ?? [], arguments: c.args ?? [])
        }
        self.commands = commands
    }

    public static func load(path: String) throws -> BuildDescription {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BuildPlanError.missingDescription(path)
        }
        return try BuildDescription(yaml: String(decoding: data, as: UTF8.self), path: path)
    }

    /// The executable products that have a link command, for error messages.
    public func executableProducts(triple: String, configuration: String) -> [String] {
        let suffix = "-\(triple)-\(configuration).exe"
        return commands.keys.compactMap { name -> String? in
            guard name.hasPrefix("C."), name.hasSuffix(suffix) else { return nil }
            return String(name.dropFirst(2).dropLast(suffix.count))
        }.sorted()
    }

    /// Only the keys this project reads; everything else in a command is
    /// ignored, and a key of another shape (llbuild has a few) reads as nil.
    private struct RawDescription: Decodable {
        var commands: [String: RawCommand]?
    }

    private struct RawCommand: Decodable {
        var tool: String?
        var description: String?
        var inputs: [String]?
        var outputs: [String]?
        var args: [String]?

        enum CodingKeys: String, CodingKey { case tool, description, inputs, outputs, args }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            tool = try? c.decodeIfPresent(String.self, forKey: .tool)
            description = try? c.decodeIfPresent(String.self, forKey: .description)
            inputs = try? c.decodeIfPresent([String].self, forKey: .inputs)
            outputs = try? c.decodeIfPresent([String].self, forKey: .outputs)
            args = try? c.decodeIfPresent([String].self, forKey: .args)
        }
    }
}

/// What can go wrong between SwiftPM's build and a link plan. Each case
/// names the file or product the user has to look at.
public enum BuildPlanError: Error, Equatable, CustomStringConvertible {
    case missingDescription(String)
    case unreadableDescription(String, String)
    case noLinkCommand(product: String, description: String, executables: [String])
    case missingObjectList(product: String, path: String)

    public var description: String {
        switch self {
        case .missingDescription(let path):
            return "no build description at \(path): did `swift build -c release` run in this scratch folder?"
        case .unreadableDescription(let path, let why):
            return "cannot read SwiftPM's build description \(path): \(why)"
        case .noLinkCommand(let product, let path, let executables):
            let known = executables.isEmpty ? "it has no executable products" : "its executable products: " + executables.joined(separator: ", ")
            return "no link command for product '\(product)' in \(path) (\(known))"
        case .missingObjectList(let product, let path):
            return "the object list of '\(product)' (\(path)) is missing: SwiftPM's build of it did not get that far"
        }
    }
}
