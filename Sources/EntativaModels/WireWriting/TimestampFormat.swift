import Foundation

/// `2026-12-06T05:00:38.123Z`: UTC, milliseconds rounded to the nearest. Computed with integer
/// calendar arithmetic (days to civil date, as in Howard Hinnant's `civil_from_days`) because
/// `Date.ISO8601FormatStyle` allocated and took locks on every timestamp of every answer.
/// Years outside 1600–9999 go through Foundation's formatter, which is what the fast path is
/// tested against: its calendar is Julian before 1582, and it writes years past 9999 its own way.
enum TimestampFormat {
    static func string(_ date: Date) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        write(date, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func write(_ date: Date, into bytes: inout [UInt8]) {
        let seconds = date.timeIntervalSince1970
        // ±2^53 ms covers every date a Double can carry to the millisecond; beyond that, Foundation.
        guard seconds.isFinite, abs(seconds) < 9_000_000_000_000 else {
            bytes.append(contentsOf: foundationFormat(date).utf8)
            return
        }
        // Rounded, not truncated: binary doubles cannot hold most decimal fractions, and
        // truncating would turn a stored `…786` into `…785`.
        let millis = Int64((seconds * 1000).rounded())
        let (wholeSeconds, millisecond) = floorDivide(millis, 1000)
        let (days, secondOfDay) = floorDivide(wholeSeconds, 86_400)
        let (year, month, day) = civilDate(fromDaysSinceEpoch: days)
        guard (1600...9999).contains(year) else {
            bytes.append(contentsOf: foundationFormat(date).utf8)
            return
        }
        appendDigits(year, count: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(month, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(day, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3600, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        appendDigits(millisecond, count: 3, to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// The formatter the fast path replaces, kept for dates it does not handle and for tests.
    static func foundationFormat(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = millis.quotientAndRemainder(dividingBy: 1000)
        let whole = fraction < 0 ? seconds - 1 : seconds
        let base = Date(timeIntervalSince1970: Double(whole)).formatted(Date.ISO8601FormatStyle())
        let milliseconds = (fraction + 1000) % 1000
        let padded = String(milliseconds + 1000).dropFirst()
        return base.dropLast() + "." + padded + "Z"
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// Proleptic Gregorian date of a day count from 1970-01-01.
    private static func civilDate(fromDaysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func appendDigits(_ value: Int64, count: Int, to bytes: inout [UInt8]) {
        var divisor: Int64 = 1
        for _ in 1..<count { divisor *= 10 }
        var remaining = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(remaining / divisor))
            remaining %= divisor
            divisor /= 10
        }
    }
}
