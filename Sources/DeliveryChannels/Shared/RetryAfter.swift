import Foundation

/// Reads an HTTP `Retry-After` value (RFC 9110 §10.2.3): delay seconds or an HTTP-date.
enum RetryAfter {
    /// Longest wait honoured; a provider asking for more is treated as asking for this.
    static let ceiling: Duration = .seconds(86_400)

    static func parse(_ value: String?, now: Date) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int64(value) {
            return seconds >= 0 ? min(.seconds(seconds), ceiling) : nil
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        let seconds = Int64(date.timeIntervalSince(now).rounded(.up))
        return min(.seconds(max(0, seconds)), ceiling)
    }
}
