import Foundation

// The same line without DateFormatter: ISO 8601 formatting lives in
// FoundationEssentials, which needs no ICU.
let date = Date(timeIntervalSince1970: 1_700_000_000)
print(date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(secondsFromGMT: 0)!).year().month().day()))
