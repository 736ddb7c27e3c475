import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import SQLKit
import Testing

@Suite("Feed: profile views as an affinity signal")
struct ProfileViewTests {
    /// One view of an account a day counts; mine, unknown, blocked and repeated ones are ignored.
    /// A viewed author's post then outranks an equal, newer post by an author never viewed.
    @Test("Profile views count once a day toward affinity and move the ranked home; the rest is ignored without saying which")
    func profileViews() async throws {
        try await TestApp.run { app, api in
            let viewer = try await api.register("viewer")
            let viewed = try await api.register("viewed")
            let other = try await api.register("other")
            let blocker = try await api.register("blocker")
            #expect(try await api.post("/api/v1/accounts/\(viewer.account.id)/block", token: blocker.accessToken).status == 200)
            let me = viewer.accessToken
            let batch = [viewed.account.id, viewed.account.id, viewer.account.id, blocker.account.id, AccountID(rawValue: 999_999)]
            let first = try await api.post("/api/v1/timelines/profile-views", RecordProfileViewsRequest(accountIds: batch), token: me)
            #expect(first.status == 200, "\(first.text)")
            #expect(try first.decode(ImpressionReceipt.self) == ImpressionReceipt(recorded: 1, ignored: 4))
            let again = try await api.post("/api/v1/timelines/profile-views", RecordProfileViewsRequest(accountIds: [viewed.account.id]), token: me)
            #expect(try again.decode(ImpressionReceipt.self) == ImpressionReceipt(recorded: 0, ignored: 1))

            try await api.follow(viewed.account.id, token: me)
            try await api.follow(other.account.id, token: me)
            _ = try await api.publish("from the viewed one", token: viewed.accessToken)
            _ = try await api.publish("from the other one", token: other.accessToken)
            try await app.runJobs()
            let ranked = try await api.get("/api/v1/timelines/home?order=ranked", token: me).decode(HomePage.self)
            #expect(ranked.items.map(\.text) == ["from the viewed one", "from the other one"])

            app.clock.advance(by: .seconds(24 * 3600))
            let fresh = try await api.freshToken("viewer")
            let nextDay = try await api.post("/api/v1/timelines/profile-views", RecordProfileViewsRequest(accountIds: [viewed.account.id]), token: fresh)
            #expect(try nextDay.decode(ImpressionReceipt.self) == ImpressionReceipt(recorded: 1, ignored: 0))
            let rows = try await app.kernel.database.sql.raw("""
                SELECT COUNT(*) AS n FROM feed_interactions WHERE viewer_id = \(bind: viewer.account.id.rawValue) AND author_id = \(bind: viewed.account.id.rawValue)
                """).first()?.decode(column: "n", as: Int.self)
            #expect(rows == 2)
        }
    }

    @Test("Recording profile views needs a token and 1–50 account IDs")
    func denials() async throws {
        try await TestApp.run { _, api in
            let me = try await api.register("viewer")
            #expect(try await api.post("/api/v1/timelines/profile-views", RecordProfileViewsRequest(accountIds: [me.account.id])).status == 401)
            let empty = try await api.post("/api/v1/timelines/profile-views", RecordProfileViewsRequest(accountIds: []), token: me.accessToken)
            #expect(empty.status == 422 && empty.fieldErrors == ["account_ids"])
            let tooMany = (1...51).map { AccountID(rawValue: Int64($0)) }
            #expect(try await api.post("/api/v1/timelines/profile-views", RecordProfileViewsRequest(accountIds: tooMany), token: me.accessToken).status == 422)
            #expect(try await api.raw(.post, "/api/v1/timelines/profile-views", headers: [.authorization: "Bearer \(me.accessToken)", .contentType: "application/json"], body: Data("{\"account_ids\": [\"x\"]}".utf8)).status == 422)
        }
    }
}
