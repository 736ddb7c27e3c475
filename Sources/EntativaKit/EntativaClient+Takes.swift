import EntativaModels
import Foundation

extension EntativaClient {
    /// Posts a Take: one ready video of mine lasting 15–90 s. React, comment, share and save
    /// through the posts methods with its `id`.
    public func postTake(_ form: CreateTakeRequest, idempotencyKey: String? = nil) async throws -> Take {
        try await send("POST", "/api/v1/takes", body: form, idempotencyKey: idempotencyKey)
    }

    public func take(_ id: PostID) async throws -> Take {
        try await send("GET", "/api/v1/takes/\(id)", auth: .optional)
    }

    /// Edits my Take: caption, audience and comment policy (as a post edit), cover and flags.
    public func updateTake(_ id: PostID, _ form: UpdateTakeRequest) async throws -> Take {
        try await send("PATCH", "/api/v1/takes/\(id)", body: form)
    }

    public func deleteTake(_ id: PostID) async throws {
        _ = try await send("DELETE", "/api/v1/takes/\(id)", as: Empty.self)
    }

    /// An account's Takes that I may see, newest first.
    public func takes(of account: AccountID, cursor: String? = nil, limit: Int? = nil) async throws -> Page<Take> {
        try await send("GET", "/api/v1/accounts/\(account)/takes", query: Self.pageQuery(cursor: cursor, limit: limit), auth: .optional)
    }

    /// Takes for me, ranked, each with the terms of its score.
    public func takesFeed(cursor: String? = nil, limit: Int? = nil) async throws -> Page<TakeFeedItem> {
        try await send("GET", "/api/v1/takes/feed", query: Self.pageQuery(cursor: cursor, limit: limit))
    }

    /// Reports what I watched (1–50 reports).
    public func reportTakeViews(_ views: [TakeViewReport]) async throws -> TakeViewsResult {
        try await send("POST", "/api/v1/takes/views", body: TakeViewsRequest(views: views))
    }

    public func sound(_ id: SoundID) async throws -> TakeSound {
        try await send("GET", "/api/v1/sounds/\(id)", auth: .optional)
    }

    /// Takes using a sound that I may see, newest first.
    public func takes(using sound: SoundID, cursor: String? = nil, limit: Int? = nil) async throws -> Page<Take> {
        try await send("GET", "/api/v1/sounds/\(sound)/takes", query: Self.pageQuery(cursor: cursor, limit: limit), auth: .optional)
    }
}

extension EntativaClient {
    /// Growing trends, most joins in the last day first.
    public func takeTrends(kind: TrendKind? = nil, limit: Int? = nil) async throws -> Page<TakeTrend> {
        var query = Self.pageQuery(cursor: nil, limit: limit)
        if let kind { query.append(URLQueryItem(name: "kind", value: kind.rawValue)) }
        return try await send("GET", "/api/v1/takes/trends", query: query, auth: .optional)
    }

    /// A trend's page: originator, origin Take, participants, growth.
    public func takeTrend(_ id: TrendID) async throws -> TakeTrend {
        try await send("GET", "/api/v1/takes/trends/\(id)", auth: .optional)
    }

    /// A trend's Takes, best first.
    public func trendTakes(_ id: TrendID, cursor: String? = nil, limit: Int? = nil) async throws -> Page<Take> {
        try await send("GET", "/api/v1/takes/trends/\(id)/takes", query: Self.pageQuery(cursor: cursor, limit: limit), auth: .optional)
    }
}

extension EntativaClient {
    public func createTemplate(_ form: CreateTemplateRequest) async throws -> TakeTemplate {
        try await send("POST", "/api/v1/templates", body: form)
    }

    public func template(_ id: TemplateID) async throws -> TakeTemplate {
        try await send("GET", "/api/v1/templates/\(id)", auth: .optional)
    }

    /// The gallery: newest or trending, optionally one creator's.
    public func templates(order: TemplateOrder = .newest, creator: AccountID? = nil, cursor: String? = nil, limit: Int? = nil) async throws -> Page<TakeTemplate> {
        var query = [URLQueryItem(name: "order", value: order.rawValue)] + Self.pageQuery(cursor: cursor, limit: limit)
        if let creator { query.append(URLQueryItem(name: "creator_id", value: creator.description)) }
        return try await send("GET", "/api/v1/templates", query: query, auth: .optional)
    }

    public func deleteTemplate(_ id: TemplateID) async throws {
        _ = try await send("DELETE", "/api/v1/templates/\(id)", as: Empty.self)
    }
}

extension EntativaClient {
    /// Writes (replacing) how my Take was made.
    public func putBehindTheTake(_ take: PostID, _ form: BehindTheTakeRequest) async throws -> BehindTheTake {
        try await send("PUT", "/api/v1/takes/\(take)/behind", body: form)
    }

    public func behindTheTake(_ take: PostID) async throws -> BehindTheTake {
        try await send("GET", "/api/v1/takes/\(take)/behind", auth: .optional)
    }

    public func deleteBehindTheTake(_ take: PostID) async throws {
        _ = try await send("DELETE", "/api/v1/takes/\(take)/behind", as: Empty.self)
    }

    /// Counts that I opened it; once per viewer.
    public func markBehindTheTakeViewed(_ take: PostID) async throws {
        _ = try await send("POST", "/api/v1/takes/\(take)/behind/views", as: Empty.self)
    }

    /// Saves it to learn from, or forgets it.
    public func saveBehindTheTake(_ take: PostID, saved: Bool = true) async throws {
        _ = try await send(saved ? "PUT" : "DELETE", "/api/v1/takes/\(take)/behind/saved", as: Empty.self)
    }

    /// Takes whose Behind-the-Take I saved, newest save first.
    public func savedBehindTheTakes(cursor: String? = nil, limit: Int? = nil) async throws -> Page<Take> {
        try await send("GET", "/api/v1/behind-the-takes/saved", query: Self.pageQuery(cursor: cursor, limit: limit))
    }
}
