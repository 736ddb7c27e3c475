import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import SQLKit
import Synchronization
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

/// Property names of every shape, for comparing the column names two strategies ask for.
private struct AwkwardNames: Decodable {
    var id: Int?
    var accountId: Int?
    var userID: Int?
    var fooBARbaz: Int?
    var fooBAR: Int?
    var sha256Hash: Int?
    var aBCDe: Int?
    var publicBaseURL: Int?
    var payloadJSON: Int?
    var x: Int?
}

/// A row with no values that remembers which columns a decoder asked for.
private final class ColumnRecorder: SQLRow {
    let asked = Mutex<[String]>([])
    var allColumns: [String] { [] }
    func contains(column: String) -> Bool { record(column) }
    func decodeNil(column: String) throws -> Bool { record(column) }
    func decode<D: Decodable>(column: String, as: D.Type) throws -> D { throw DecodingError.valueNotFound(D.self, .init(codingPath: [], debugDescription: column)) }
    private func record(_ column: String) -> Bool {
        asked.withLock { $0.append(column) }
        return false
    }
}

@Suite("Column names")
struct ColumnNameTests {
    @Test("Rows decode with the columns SQLKit's snake_case strategy names, converted once per name")
    func sameColumnsAsSQLKit() throws {
        let sqlKit = ColumnRecorder()
        _ = try sqlKit.decode(model: AwkwardNames.self, keyDecodingStrategy: .convertFromSnakeCase)
        let ours = ColumnRecorder()
        _ = try ours.decode(AwkwardNames.self)
        let expected = sqlKit.asked.withLock { $0 }
        #expect(!expected.isEmpty)
        #expect(ours.asked.withLock { $0 } == expected)
        #expect(Set(expected).isSuperset(of: ["account_id", "user_iD", "foo_bA_rbaz", "sha256_hash"]))
    }
}
