import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import SQLKit
import Testing

@Suite("The purge of a deleted account")
struct PurgeTests {
    @Test("The purge announces AccountDeleted to the other domains even for an account without an email address")
    func announcedWithoutEmail() async throws {
        try await TestApp.run { app, api in
            let tokens = try await api.register("no_mail")
            let db = app.kernel.database.sql
            // As an operator-made or future phone-only account would be: no address on file.
            try await db.raw("UPDATE accounts SET email = NULL, email_key = NULL WHERE id = \(bind: tokens.account.id.rawValue)").run()
            #expect(try await api.delete("/api/v1/accounts/me", DeleteAccountRequest(password: TestAPI.defaultPassword), token: tokens.accessToken).status == 202)
            try await app.runJobs()
            let announced = try await db.raw("SELECT COUNT(*) AS n FROM outbox_events WHERE topic = 'account.deleted'").first()?
                .decode(column: "n", as: Int.self)
            #expect(announced == 1)
        }
    }
}
