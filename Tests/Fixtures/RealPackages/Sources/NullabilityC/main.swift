// Calls the clang-only C target through its swift_name spellings. The type
// annotations below only compile if the nullability qualifiers were honoured
// (_Nonnull -> non-optional, _Nullable -> Optional).
import CNullability

let greetingPointer: UnsafePointer<CChar> = cnull_greeting()
let greeting = String(cString: greetingPointer)
print("greeting: \(greeting)")
print("length(greeting): \(cnull_length(greetingPointer))")
print("length(nil): \(cnull_length(nil))")

for index in [0, 2, 3] {
    let name: UnsafePointer<CChar>? = cnull_color_name(Int32(index))
    print("color-name(\(index)): \(name.map { String(cString: $0) } ?? "nil")")
}

// enum_extensibility(closed) makes CNullColor a real Swift enum, so this switch
// is exhaustive without a default. (Imported enums print as the C type name,
// hence the explicit spelling.)
func spelling(_ color: CNullColor) -> String {
    switch color {
    case .red: return "red"
    case .green: return "green"
    case .blue: return "blue"
    }
}
let colors: [CNullColor] = [.red, .green, .blue]
print("colors: \(colors.map { "\(spelling($0))=\($0.rawValue)" }.joined(separator: " "))")

print("cnullSum(40, 2): \(cnullSum(40, 2))")

let point = CNullPoint(x: 3, y: 4).adding(CNullPoint(x: 10, y: 20))
print("point: (\(point.x), \(point.y))")

var doubled = CNullPoint()
cnull_point_double(point, &doubled)
print("doubled: (\(doubled.x), \(doubled.y))")

// Last, so callers can compare everything above across libcs.
print("c-target-libc: \(String(cString: cnull_libc()))")
