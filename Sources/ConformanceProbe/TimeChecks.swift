import Foundation

/// 2024-07-01T12:34:56Z and 2024-01-15T08:00:00Z: one summer, one winter.
let summer = Date(timeIntervalSince1970: 1_719_837_296)
let winter = Date(timeIntervalSince1970: 1_705_305_600)

/// What both Foundation and libc think local time is; runs in a child whose
/// TZ (and zoneinfo) the check controls.
func localTimeSummary() -> String {
    let tz = TimeZone.current
    var parts = ["foundation=\(tz.identifier)/\(tz.secondsFromGMT(for: summer))/\(tz.secondsFromGMT(for: winter))/\(tz.abbreviation(for: summer) ?? "nil")"]
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.dateFormat = "HH:mm zzz"
    parts.append("formatter=\(f.string(from: summer))")
    tzset()
    for date in [summer, winter] {
        var t = time_t(date.timeIntervalSince1970)
        var tm = tm()
        localtime_r(&t, &tm)
        parts.append("libc=\(tm.tm_hour):\(tm.tm_min) dst=\(tm.tm_isdst) zone=\(cString(tm.tm_zone)) off=\(tm.tm_gmtoff)")
    }
    return parts.joined(separator: " ")
}

private func tzChild(_ tz: String?) throws -> String {
    let env = tz.map { environment(setting: ["TZ": $0]) } ?? environment(removing: ["TZ"])
    let r = try child("tz", environment: env)
    return r.status == 0 && !r.signaled ? r.stdout.trimmingCharacters(in: .newlines) : "child failed: \(r.status) \(r.stderr.prefix(200))"
}

let timeChecks: [Check] = [
    Check("time.iso8601") {
        let f = ISO8601DateFormatter()
        let g = ISO8601DateFormatter(); g.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let parsed = g.date(from: "2024-02-29T23:59:59.125+05:30").map { $0.timeIntervalSince1970 } ?? -1
        return "\(f.string(from: summer)) \(parsed) \(f.date(from: "not a date") == nil)"
    },
    Check("time.dateformatter.utc") {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSZZZZZ EEE MMMM a"
        return f.string(from: summer)
    },
    Check("time.dateformatter.named_zones") {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US"); f.dateFormat = "yyyy-MM-dd HH:mm zzz"
        return ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"].map { id -> String in
            f.timeZone = TimeZone(identifier: id)
            return "\(id)=\(f.string(from: summer))|\(f.string(from: winter))"
        }.joined(separator: " ")
    },
    Check("time.dateformatter.styles") {
        let f = DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return ["en_US", "de_DE", "ja_JP"].map { id -> String in
            f.locale = Locale(identifier: id); f.dateStyle = .full; f.timeStyle = .short
            return f.string(from: summer)
        }.joined(separator: " | ")
    },
    Check("time.timezone.database") {
        let ids = TimeZone.knownTimeZoneIdentifiers
        let k = TimeZone(identifier: "Asia/Kathmandu")
        return "count>400=\(ids.count > 400) hasBerlin=\(ids.contains("Europe/Berlin")) kathmandu=\(k?.secondsFromGMT(for: summer) ?? -1) bogus=\(TimeZone(identifier: "Not/AZone") == nil) abbrevEST=\(TimeZone(abbreviation: "EST")?.identifier ?? "nil")"
    },
    Check("time.calendar.dst") {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "America/New_York")!
        let start = cal.date(from: DateComponents(year: 2024, month: 3, day: 9, hour: 12))!
        let next = cal.date(byAdding: .day, value: 1, to: start)!
        let fall = cal.date(from: DateComponents(year: 2024, month: 11, day: 2, hour: 12))!
        let fallNext = cal.date(byAdding: .day, value: 1, to: fall)!
        let gap = cal.date(from: DateComponents(year: 2024, month: 3, day: 10, hour: 2, minute: 30))
        return "spring=\(next.timeIntervalSince(start) / 3600)h fall=\(fallNext.timeIntervalSince(fall) / 3600)h gap=\(gap.map { cal.component(.hour, from: $0) } ?? -1) dst=\(cal.timeZone.isDaylightSavingTime(for: next))"
    },
    Check("time.calendar.components") {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        cal.firstWeekday = 2
        let c = cal.dateComponents([.year, .month, .day, .weekday, .weekOfYear, .yearForWeekOfYear, .dayOfYear], from: winter)
        let days = cal.dateComponents([.day], from: winter, to: summer).day ?? -1
        let other = Calendar(identifier: .hebrew).dateComponents([.year, .month], from: summer)
        return "\(c.year!)-\(c.month!)-\(c.day!) wd=\(c.weekday!) woy=\(c.weekOfYear!)/\(c.yearForWeekOfYear!) doy=\(c.dayOfYear ?? -1) days=\(days) hebrew=\(other.year!)/\(other.month!)"
    },
    Check("time.relative_and_intervals") {
        let f = DateIntervalFormatter()
        f.locale = Locale(identifier: "en_US"); f.timeZone = TimeZone(identifier: "UTC")
        f.dateStyle = .medium; f.timeStyle = .none
        let i = DateInterval(start: winter, end: summer)
        return "\(f.string(from: winter, to: summer)) \(i.duration)"
    },
    Check("time.libc.strftime") {
        var t = time_t(summer.timeIntervalSince1970)
        var tm = tm()
        gmtime_r(&t, &tm)
        var buf = [CChar](repeating: 0, count: 128)
        let n = strftime(&buf, buf.count, "%Y-%m-%d %H:%M:%S %a %b %j %U %Z %z %s", &tm)
        return "\(n) \(String(cString: buf))"
    },
    Check("time.libc.mktime_timegm") {
        var tm = tm(); tm.tm_year = 124; tm.tm_mon = 6; tm.tm_mday = 1; tm.tm_hour = 12; tm.tm_isdst = -1
        let g = timegm(&tm)
        var bad = tm; bad.tm_mon = 14
        let normalized = timegm(&bad)
        return "\(g) \(normalized) mon=\(bad.tm_mon) year=\(bad.tm_year)"
    },
    Check("time.tz.unset") { try tzChild(nil) },
    Check("time.tz.berlin") { try tzChild("Europe/Berlin") },
    Check("time.tz.colon_new_york") { try tzChild(":America/New_York") },
    Check("time.tz.posix_rule") { try tzChild("EST5EDT,M3.2.0,M11.1.0") },
    Check("time.tz.utc") { try tzChild("UTC") },
    Check("time.tz.invalid") { try tzChild("Nowhere/Invalid") },
]
