import Foundation

// The one reference that costs ICU: DateFormatter.
let formatter = DateFormatter()
formatter.locale = Locale(identifier: "en_US_POSIX")
formatter.timeZone = TimeZone(secondsFromGMT: 0)
formatter.dateFormat = "yyyy-MM-dd"
print(formatter.string(from: Date(timeIntervalSince1970: 1_700_000_000)))
