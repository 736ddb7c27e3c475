import EntativaCore
import SQLKit

struct CreateHomeEntries: SQLMigration {
    let name = "feed.0001_home_entries"

    func prepare(sql: any SQLDatabase) async throws {
        // One row per post pushed into one account's home. The author is kept so unfollows,
        // mutes and blocks can take an author's posts out without asking the posts domain.
        try await sql.create(table: "home_entries")
            .column("account_id", type: .bigint, .notNull)
            .column("post_id", type: .bigint, .notNull)
            .column("author_id", type: .bigint, .notNull)
            .primaryKey("account_id", "post_id")
            .run()
        try await sql.create(index: "home_entries_author").on("home_entries").column("account_id").column("author_id").run()
        try await sql.create(index: "home_entries_post").on("home_entries").column("post_id").run()
        try await sql.create(index: "home_entries_by_author").on("home_entries").column("author_id").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(table: "home_entries").ifExists().run()
    }
}
