import EntativaModels
import Foundation

/// What one account's preferences say about one notification. Pure, so every rule is tested
/// against an injected time rather than the clock on the wall.
struct PreferenceRules: Sendable {
    let preferences: NotificationPreferences

    enum Timing: Equatable {
        case now
        /// Quiet hours: send when they end.
        case deferred(until: Date)
        case never
    }

    func setting(for type: String) -> TypePreference? { preferences.types[type] }

    /// Whether `from whom` lets this actor through, given how the recipient is connected to them.
    func admits(type: String, actor: AccountID?, follows: Bool, friends: Bool) -> Bool {
        guard let setting = setting(for: type) else { return false }
        guard actor != nil else { return setting.from != .nobody }
        switch setting.from {
        case .everyone: return true
        case .following: return follows
        case .friends: return friends
        case .nobody: return false
        }
    }

    /// When push or email of this notification may go out.
    func timing(type: String, channelEnabled: Bool, fromCloseFriend: Bool, at now: Date) -> Timing {
        guard channelEnabled else { return .never }
        if let paused = preferences.pausedUntil, paused > now { return .never }
        guard let quiet = preferences.quietHours, quiet.enabled,
            !(quiet.exceptions.closeFriends && fromCloseFriend), !quiet.exceptions.types.contains(type),
            let end = Self.quietEnd(quiet, at: now)
        else { return .now }
        return .deferred(until: end)
    }

    /// The end of the quiet period `now` is in, or nil when `now` is outside quiet hours.
    static func quietEnd(_ quiet: QuietHours, at now: Date) -> Date? {
        guard let zone = TimeZone(identifier: quiet.timeZone), let start = minutes(quiet.start), let end = minutes(quiet.end), start != end else {
            return nil
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute], from: now)
        let current = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        let inside = start < end ? (current >= start && current < end) : (current >= start || current < end)
        guard inside else { return nil }
        return calendar.nextDate(after: now, matching: DateComponents(hour: end / 60, minute: end % 60), matchingPolicy: .nextTime)
    }

    /// `HH:mm` as minutes after midnight.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }
}
