import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import SQLKit
import Testing

/// Rows decode straight into typed IDs and closed enums on both engines, and a typed ID binds as
/// the BIGINT its columns hold.
@Suite("Column values")
struct ColumnValueTests {
    struct Row: Decodable {
        var id: AccountID
        var role: Role
        var sharedPostId: PostID?
    }

    @Test("A row decodes into typed IDs and enums; an unknown enum value is an error, not a default")
    func typedRow() async throws {
        try await TestApp.run { app, _ in
            let db = app.kernel.database.sql
            let row = try #require(
                try await db.raw("SELECT CAST(42 AS BIGINT) AS id, 'moderator' AS role, CAST(NULL AS BIGINT) AS shared_post_id").first())
            let decoded = try row.decode(Row.self)
            #expect(decoded.id == AccountID(rawValue: 42))
            #expect(decoded.role == .moderator)
            #expect(decoded.sharedPostId == nil)

            let unknown = try #require(try await db.raw("SELECT CAST(42 AS BIGINT) AS id, 'overlord' AS role, CAST(NULL AS BIGINT) AS shared_post_id").first())
            #expect(throws: (any Error).self) { try unknown.decode(Row.self) }
        }
    }

    @Test("A typed ID binds as an integer, so it compares with BIGINT columns on PostgreSQL too")
    func typedBind() async throws {
        try await TestApp.run { app, api in
            let tokens = try await api.register("columns")
            let db = app.kernel.database.sql
            let found = try await db.raw("SELECT id FROM accounts WHERE id = \(bind: tokens.account.id)").first()
            #expect(try found?.decode(column: "id", as: AccountID.self) == tokens.account.id)
            let next = try await db.raw("SELECT \(bind: AccountID(rawValue: 7)) + 1 AS n").first()
            #expect(try next?.decode(column: "n", as: Int64.self) == 8)
        }
    }
}
