import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Stored preferences: only what the account changed; defaults come from the catalog, so a
/// type added later starts at its defaults for everyone.
struct StoredPreferences: Codable, Sendable {
    var types: [String: TypePreference] = [:]
    var quietHours: QuietHours?
    var emailDigest: EmailDigest = .off

    init(types: [String: TypePreference] = [:], quietHours: QuietHours? = nil, emailDigest: EmailDigest = .off) {
        self.types = types
        self.quietHours = quietHours
        self.emailDigest = emailDigest
    }

    /// Absent fields keep their defaults (a row may exist only to remember the last digest).
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        types = try container.decodeIfPresent([String: TypePreference].self, forKey: .types) ?? [:]
        quietHours = try container.decodeIfPresent(QuietHours.self, forKey: .quietHours)
        emailDigest = try container.decodeIfPresent(EmailDigest.self, forKey: .emailDigest) ?? .off
    }
}

public struct Preferences: Sendable {
    let env: NotificationsEnvironment

    public func get(_ account: AccountID) async throws -> NotificationPreferences {
        try await load(account, on: env.database.sql)
    }

    func load(_ account: AccountID, on db: any SQLDatabase) async throws -> NotificationPreferences {
        try await load([account], on: db)[account] ?? resolve(nil)
    }

    /// Preferences of many accounts in one query, for fan-out.
    func load(_ accounts: [AccountID], on db: any SQLDatabase) async throws -> [AccountID: NotificationPreferences] {
        let unique = Array(Set(accounts))
        guard !unique.isEmpty else { return [:] }
        var stored: [AccountID: (StoredPreferences, Int64?)] = [:]
        for row in try await db.raw("""
            SELECT account_id, settings, paused_until FROM notification_preferences WHERE account_id IN (\(binds: unique.map(\.rawValue)))
            """).all() {
            let settings = try EntativaJSON.decoder().decode(StoredPreferences.self, from: Data(try row.decode(column: "settings", as: String.self).utf8))
            stored[AccountID(rawValue: try row.decode(column: "account_id", as: Int64.self))] = (settings, try row.decode(column: "paused_until", as: Int64?.self))
        }
        let defaults = resolve(nil)
        return Dictionary(uniqueKeysWithValues: unique.map { ($0, stored[$0].map(resolve) ?? defaults) })
    }

    /// What an account's stored choices mean with every registered type's defaults filled in.
    private func resolve(_ stored: (StoredPreferences, Int64?)?) -> NotificationPreferences {
        let settings = stored?.0 ?? StoredPreferences()
        var types: [String: TypePreference] = [:]
        for kind in env.catalog.all { types[kind.name] = settings.types[kind.name] ?? kind.defaults }
        return NotificationPreferences(
            types: types, quietHours: settings.quietHours, pausedUntil: stored?.1.map(Date.init(millisecondsSince1970:)), emailDigest: settings.emailDigest)
    }

    public func update(_ account: AccountID, _ form: NotificationPreferencesUpdate) async throws -> NotificationPreferences {
        try validate(form)
        let env = self.env
        let now = env.clock.now()
        try await env.database.transaction { db in
            let current = try await load(account, on: db)
            var stored = StoredPreferences(types: [:], quietHours: current.quietHours, emailDigest: current.emailDigest)
            for kind in env.catalog.all where current.types[kind.name] != kind.defaults { stored.types[kind.name] = current.types[kind.name] }
            for (name, patch) in form.types ?? [:] {
                guard var setting = current.types[name] ?? env.catalog.kind(name)?.defaults else { continue }
                if let value = patch.inApp { setting.inApp = value }
                if let value = patch.push { setting.push = value }
                if let value = patch.email { setting.email = value }
                if let value = patch.from { setting.from = value }
                stored.types[name] = setting
            }
            if let quiet = form.quietHours { stored.quietHours = quiet }
            if let digest = form.emailDigest { stored.emailDigest = digest }
            var paused = current.pausedUntil.map(\.millisecondsSince1970)
            if let hours = form.pauseHours { paused = hours == 0 ? nil : now.addingTimeInterval(Double(hours) * 3600).millisecondsSince1970 }
            let settings = String(decoding: try EntativaJSON.encoder().encode(stored), as: UTF8.self)
            try await db.raw("""
                INSERT INTO notification_preferences (account_id, settings, paused_until, updated_at)
                VALUES (\(bind: account.rawValue), \(bind: settings), \(bind: paused), \(bind: now.millisecondsSince1970))
                ON CONFLICT (account_id) DO UPDATE SET settings = excluded.settings, paused_until = excluded.paused_until,
                    updated_at = excluded.updated_at
                """).run()
        }
        return try await get(account)
    }

    func validate(_ form: NotificationPreferencesUpdate) throws {
        var errors: [FieldError] = []
        for name in (form.types ?? [:]).keys.sorted() where env.catalog.kind(name) == nil {
            errors.append(FieldError(field: "types.\(name)", code: "unknown", message: "no notification type \(name)"))
        }
        if let quiet = form.quietHours {
            if PreferenceRules.minutes(quiet.start) == nil {
                errors.append(FieldError(field: "quiet_hours.start", code: "invalid", message: "must be HH:mm"))
            }
            if PreferenceRules.minutes(quiet.end) == nil {
                errors.append(FieldError(field: "quiet_hours.end", code: "invalid", message: "must be HH:mm"))
            }
            if quiet.start == quiet.end {
                errors.append(FieldError(field: "quiet_hours.end", code: "invalid", message: "must differ from start"))
            }
            if quiet.timeZone.utf8.count > 64 || TimeZone(identifier: quiet.timeZone) == nil {
                errors.append(FieldError(field: "quiet_hours.time_zone", code: "invalid", message: "must be an IANA time zone such as Europe/Paris"))
            }
            for type in quiet.exceptions.types where env.catalog.kind(type) == nil {
                errors.append(FieldError(field: "quiet_hours.exceptions.types", code: "unknown", message: "no notification type \(type)"))
            }
            if quiet.exceptions.types.count > 50 {
                errors.append(FieldError(field: "quiet_hours.exceptions.types", code: "too_many", message: "at most 50"))
            }
        }
        if let hours = form.pauseHours, !(0...720).contains(hours) {
            errors.append(FieldError(field: "pause_hours", code: "out_of_range", message: "must be 0–720"))
        }
        if !errors.isEmpty { throw AppError.invalid(errors) }
    }
}
