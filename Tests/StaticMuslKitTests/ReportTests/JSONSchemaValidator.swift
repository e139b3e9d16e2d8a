import Foundation
@testable import StaticMuslKit

/// A small JSON Schema (2020-12) validator for the subset docs/matrix.schema.json
/// uses. It refuses keywords it does not know, so the schema can never carry
/// a constraint this validator silently skips.
struct JSONSchemaValidator {
    static let supported: Set<String> = [
        "$schema", "$id", "title", "description", "$defs",
        "type", "const", "enum", "properties", "required", "additionalProperties", "items",
        "minItems", "maxItems", "minimum", "minLength", "$ref", "allOf", "anyOf",
    ]

    let root: JSONValue

    init(schemaAt path: String) throws {
        root = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Every violation, as "path: what".
    func validate(_ data: Data) throws -> [String] {
        let value = try JSONDecoder().decode(JSONValue.self, from: data)
        var errors: [String] = []
        check(value, against: root, at: "$", into: &errors)
        return errors
    }

    private func typeName(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "boolean"
        case .number(let n): return n == n.rounded() ? "integer" : "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    private func check(_ v: JSONValue, against schema: JSONValue, at path: String, into errors: inout [String]) {
        guard case .object(let s) = schema else { errors.append("\(path): schema is not an object"); return }
        for key in s.keys where !Self.supported.contains(key) {
            errors.append("\(path): schema uses unsupported keyword \(key)")
        }
        if let ref = s["$ref"]?.stringValue {
            let name = ref.hasPrefix("#/$defs/") ? String(ref.dropFirst("#/$defs/".count)) : ""
            if let target = root["$defs"]?[name] { check(v, against: target, at: path, into: &errors) }
            else { errors.append("\(path): unresolvable $ref \(ref)") }
        }
        for sub in s["allOf"]?.arrayValue ?? [] { check(v, against: sub, at: path, into: &errors) }
        if let any = s["anyOf"]?.arrayValue {
            let ok = any.contains { sub in var e: [String] = []; check(v, against: sub, at: path, into: &e); return e.isEmpty }
            if !ok { errors.append("\(path): matches none of anyOf") }
        }
        let actual = typeName(v)
        if let type = s["type"]?.stringValue {
            guard type == actual || (type == "number" && actual == "integer") else {
                errors.append("\(path): expected \(type), found \(actual)"); return
            }
        }
        if let c = s["const"], c != v { errors.append("\(path): must be \(c.text)") }
        if let e = s["enum"]?.arrayValue, !e.contains(v) { errors.append("\(path): \(v.text) is not one of \(JSONValue.array(e).text)") }
        if case .number(let n) = v, let min = s["minimum"]?.doubleValue, n < min {
            errors.append("\(path): \(v.text) is below the minimum \(JSONValue.number(min).text)")
        }
        if case .string(let str) = v, let min = s["minLength"]?.doubleValue, Double(str.count) < min {
            errors.append("\(path): shorter than \(Int(min)) characters")
        }
        if case .array(let a) = v {
            if let min = s["minItems"]?.doubleValue, Double(a.count) < min { errors.append("\(path): fewer than \(Int(min)) items") }
            if let max = s["maxItems"]?.doubleValue, Double(a.count) > max { errors.append("\(path): more than \(Int(max)) items") }
            if let items = s["items"] {
                for (i, x) in a.enumerated() { check(x, against: items, at: "\(path)[\(i)]", into: &errors) }
            }
        }
        if case .object(let o) = v {
            for key in s["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where o[key] == nil {
                errors.append("\(path): required field \(key) is missing")
            }
            for (key, x) in o.sorted(by: { $0.key < $1.key }) {
                if let sub = s["properties"]?[key] { check(x, against: sub, at: "\(path).\(key)", into: &errors) }
                else if let extra = s["additionalProperties"] {
                    if extra == .bool(false) { errors.append("\(path): unexpected field \(key)") }
                    else if case .object = extra { check(x, against: extra, at: "\(path).\(key)", into: &errors) }
                }
            }
        }
    }
}
