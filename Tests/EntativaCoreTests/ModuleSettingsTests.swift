import EntativaCore
import EntativaServer
import Foundation
import Graph
import Identity
import Media
import Notifications
import Testing

/// Each module reads its own variables (names as in README) into its own settings type.
@Suite("Module settings")
struct ModuleSettingsTests {
    func read(_ environment: [String: String]) throws -> EntativaConfig {
        try EntativaConfig(server: ServerConfig(), reading: SettingsReader(environment))
    }

    @Test("Every module reads its own variables; unset ones keep their defaults")
    func readsEachModule() throws {
        let config = try read([
            "ENTATIVA_BCRYPT_COST": "10", "ENTATIVA_LOGIN_ATTEMPTS": "7", "ENTATIVA_REGISTRATIONS_PER_IP": "3",
            "NOTIFY_GROUP_WINDOW_HOURS": "2", "PUSH_ALLOW_PRIVATE_ENDPOINTS": "yes", "APNS_KEY_ID": "KEY",
            "S3_BUCKET": "media", "S3_ACCESS_KEY_ID": "id", "S3_SECRET_ACCESS_KEY": "secret",
        ])
        #expect(config.identity.bcryptCost == 10)
        #expect(config.identity.loginAttempts == 7)
        #expect(config.identity.registrationsPerIP == 3)
        #expect(config.identity.loginAttemptsPerIP == IdentitySettings().loginAttemptsPerIP)
        #expect(config.notifications.groupingWindow == .seconds(2 * 3600))
        #expect(config.notifications.allowPrivatePushEndpoints)
        #expect(config.notifications.apnsKeyID == "KEY")
        #expect(config.media.objectStorage?.bucket == "media")
        #expect(config.graph.maxFriends == 1500)

        let defaults = try read([:])
        #expect(defaults.media.objectStorage == nil)
        #expect(defaults.identity.bcryptCost == 12)
    }

    @Test("A value a module cannot use names its variable", arguments: [
        ("ENTATIVA_BCRYPT_COST", "40"), ("ENTATIVA_LOGIN_ATTEMPTS", "0"), ("NOTIFY_GROUP_WINDOW_HOURS", "many"),
        ("PUSH_ALLOW_PRIVATE_ENDPOINTS", "perhaps"),
    ])
    func rejectsBadValues(name: String, value: String) {
        #expect(throws: ConfigurationError("\(name)=\(value) is not valid")) { try read([name: value]) }
    }

    @Test("Kernel fields read through the bundle, and the public limits gather every module's")
    func bundle() {
        var config = EntativaConfig()
        config.port = 9000
        config.graph.maxFriends = 12
        #expect(config.server.port == 9000)
        #expect(config.publicLimits["max_friends"] == 12)
        #expect(config.publicLimits["uploads_per_hour"] == Double(config.media.uploadsPerHour))
        #expect(config.publicLimits["login_attempts_per_minute"] == Double(config.identity.loginAttempts))
        #expect(config.publicLimits["max_page_size"] == Double(config.limits.maxPageSize))
    }
}
