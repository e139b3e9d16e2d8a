import CxxLib

print("answer: \(cxxlib_answer())")
var buffer = [CChar](repeating: 0, count: 4096)
let length = cxxlib_report(&buffer, Int32(buffer.count))
print(String(cString: buffer), terminator: length > 0 ? "" : "(no report)\n")
