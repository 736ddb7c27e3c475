import EntativaCore
import EntativaModels
import Foundation

/// Bookmarks: a private saved list with named collections.
public struct Saves: Sendable {
    let env: PostsEnvironment
    static let maxCollections = 100
    static let maxCollectionName = 100

    public init(env: PostsEnvironment) { self.env = env }

    /// Saves a post the caller can see, and files it in one of their collections if asked.
    public func save(_ id: PostID, form: SavePostRequest, caller: Principal) async throws -> Post {
        _ = try await PostAccess(env: env).visible(id, viewer: caller)
        let env = self.env
        try await env.database.transaction { db in
            if let collection = form.collectionId {
                guard try await SaveStore.collection(collection, owner: caller.accountID, on: db) != nil else {
                    throw AppError.invalid(field: "collection_id", code: "not_found", message: "is not one of your collections")
                }
                try await SaveStore.file(id, in: collection, id: env.kernel.ids.next(), now: env.now, on: db)
            }
            try await SaveStore.save(id, by: caller.accountID, id: env.kernel.ids.next(), now: env.now, on: db)
        }
        return try await Publishing(env: env).get(id, viewer: caller)
    }

    /// Unsaving needs no visibility: a post that became hidden can still leave the list.
    public func unsave(_ id: PostID, caller: Principal) async throws {
        try await env.database.transaction { db in try await SaveStore.unsave(id, by: caller.accountID, on: db) }
    }

    /// The saved list, or one collection, newest save first; posts the caller can no longer see are skipped.
    public func list(caller: Principal, collection: CollectionID?, page: PageRequest) async throws -> Page<Post> {
        if let collection { _ = try await self.collection(collection, caller: caller) }
        let db = env.database.sql
        let scan = try await PostAccess(env: env).scan(viewer: caller, limit: page.limit) { after, count in
            try await SaveStore.entries(of: caller.accountID, collection: collection, before: after ?? page.before, limit: count, on: db)
        }
        return Page(items: try await PostRenderer(env: env).render(scan.rows, context: scan.context), nextCursor: scan.next.map(String.init))
    }

    public func createCollection(_ form: CollectionForm, caller: Principal) async throws -> SavedCollection {
        let name = try validName(form.name)
        let id = env.kernel.ids.next(CollectionID.self)
        let env = self.env
        try await env.database.transaction { db in
            guard try await SaveStore.collectionCount(of: caller.accountID, on: db) < Self.maxCollections else {
                throw AppError.conflict("An account may have at most \(Self.maxCollections) collections.", code: "too-many-collections")
            }
            guard try await SaveStore.createCollection(id: id.rawValue, owner: caller.accountID, name: name, now: env.now, on: db) else {
                throw AppError.conflict("You already have a collection named “\(name)”.", code: "name-taken")
            }
        }
        return try await collection(id, caller: caller)
    }

    public func collection(_ id: CollectionID, caller: Principal) async throws -> SavedCollection {
        guard let row = try await SaveStore.collection(id, owner: caller.accountID, on: env.database.sql) else { throw AppError.notFound("collection") }
        return Self.dto(row)
    }

    public func collections(caller: Principal, page: PageRequest) async throws -> Page<SavedCollection> {
        let rows = try await SaveStore.collections(of: caller.accountID, before: page.before, limit: page.limit + 1, on: env.database.sql)
        let (shown, next) = PageRequest.split(rows, limit: page.limit) { String($0.id) }
        return Page(items: shown.map(Self.dto), nextCursor: next)
    }

    public func rename(_ id: CollectionID, form: CollectionForm, caller: Principal) async throws -> SavedCollection {
        let name = try validName(form.name)
        try await env.database.transaction { db in
            guard try await SaveStore.collection(id, owner: caller.accountID, on: db) != nil else { throw AppError.notFound("collection") }
            guard try await !SaveStore.nameTaken(name, owner: caller.accountID, except: id, on: db) else {
                throw AppError.conflict("You already have a collection named “\(name)”.", code: "name-taken")
            }
            try await SaveStore.rename(id, to: name, on: db)
        }
        return try await collection(id, caller: caller)
    }

    /// The posts stay saved; only the collection goes.
    public func deleteCollection(_ id: CollectionID, caller: Principal) async throws {
        try await env.database.transaction { db in
            guard try await SaveStore.collection(id, owner: caller.accountID, on: db) != nil else { throw AppError.notFound("collection") }
            try await SaveStore.deleteCollection(id, on: db)
        }
    }

    public func file(_ post: PostID, in collection: CollectionID, caller: Principal) async throws -> SavedCollection {
        _ = try await save(post, form: SavePostRequest(collectionId: collection), caller: caller)
        return try await self.collection(collection, caller: caller)
    }

    public func unfile(_ post: PostID, from collection: CollectionID, caller: Principal) async throws -> SavedCollection {
        _ = try await self.collection(collection, caller: caller)
        try await env.database.transaction { db in try await SaveStore.unfile(post, from: collection, on: db) }
        return try await self.collection(collection, caller: caller)
    }

    private func validName(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        var validator = Validator()
        validator.length(name, "name", max: Self.maxCollectionName, min: 1)
        try validator.validate()
        return name
    }

    static func dto(_ row: SaveStore.CollectionRow) -> SavedCollection {
        SavedCollection(
            id: row.id, name: row.name, postCount: Int(row.postCount ?? 0),
            createdAt: Date(millisecondsSince1970: row.createdAt))
    }
}
