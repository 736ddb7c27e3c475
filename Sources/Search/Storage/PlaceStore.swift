import EntativaCore
import EntativaModels
import SQLKit

/// Places and where posts were made.
enum PlaceStore {
    struct PlaceRow: Sendable, Equatable, Decodable {
        var placeId: Int64
        var name: String
        var nameKey: String
        var lat: Double
        var lon: Double
        var publicUses: Int64
    }

    /// Sets (or clears) where `post` was made, for radius filters.
    static func setPostLocation(_ post: PostID, lat: Double?, lon: Double?, on db: any SQLDatabase) async throws {
        if IndexStore.isSQLite(db) {
            try await db.raw("UPDATE search_posts SET lat = \(bind: lat), lon = \(bind: lon) WHERE post_id = \(bind: post.rawValue)").run()
            try await db.raw("DELETE FROM search_posts_rtree WHERE id = \(bind: post.rawValue)").run()
            if let lat, let lon {
                try await db.raw("""
                    INSERT INTO search_posts_rtree (id, min_lat, max_lat, min_lon, max_lon) VALUES (\(bind: post.rawValue), \(bind: lat), \(bind: lat), \(bind: lon), \(bind: lon))
                    """).run()
            }
        } else if let lat, let lon {
            try await db.raw("""
                UPDATE search_posts SET lat = \(bind: lat), lon = \(bind: lon), geo = CAST(ST_SetSRID(ST_MakePoint(\(bind: lon), \(bind: lat)), 4326) AS geography)
                WHERE post_id = \(bind: post.rawValue)
                """).run()
        } else {
            try await db.raw("UPDATE search_posts SET lat = NULL, lon = NULL, geo = NULL WHERE post_id = \(bind: post.rawValue)").run()
        }
    }

    static func removePost(_ post: PostID, on db: any SQLDatabase) async throws -> [(id: Int64, key: String, before: Int64, after: Int64)] {
        if IndexStore.isSQLite(db) { try await db.raw("DELETE FROM search_posts_rtree WHERE id = \(bind: post.rawValue)").run() }
        return try await setPublicUse(of: post, at: nil, on: db)
    }

    struct Named: Sendable {
        var name: String
        var key: String
        var cell: String
        var lat: Double
        var lon: Double
    }

    /// Counts `post` as a public use of `place` (nil: of no place), taking back an earlier use
    /// of another. Answers the place's ID and uses before and after, for autocomplete's filing.
    @discardableResult
    static func setPublicUse(of post: PostID, at place: (named: Named, newID: Int64)?, on db: any SQLDatabase) async throws -> [(id: Int64, key: String, before: Int64, after: Int64)] {
        var changes: [(id: Int64, key: String, before: Int64, after: Int64)] = []
        let current = try await db.raw("SELECT place_id FROM search_place_uses WHERE post_id = \(bind: post.rawValue)").first()?
            .decode(column: "place_id", as: Int64.self)
        var target: Int64?
        if let place {
            let named = place.named
            try await db.raw("""
                INSERT INTO search_places (place_id, name, name_key, cell, lat, lon, public_uses)
                VALUES (\(bind: place.newID), \(bind: named.name), \(bind: named.key), \(bind: named.cell), \(bind: named.lat), \(bind: named.lon), 0)
                ON CONFLICT (name_key, cell) DO NOTHING
                """).run()
            target = try await db.raw("SELECT place_id FROM search_places WHERE name_key = \(bind: named.key) AND cell = \(bind: named.cell)").first()?
                .decode(column: "place_id", as: Int64.self)
            if target == place.newID { try await insertPoint(place.newID, lat: named.lat, lon: named.lon, on: db) }
        }
        guard current != target else { return [] }
        // Only the job that moved the use changes the counts (two may race on PostgreSQL).
        if let current, try await db.raw("""
            DELETE FROM search_place_uses WHERE post_id = \(bind: post.rawValue) AND place_id = \(bind: current) RETURNING post_id
            """).first() != nil, let row = try await bump(current, by: -1, on: db) {
            changes.append(row)
        }
        if let target, try await db.raw("""
            INSERT INTO search_place_uses (post_id, place_id) VALUES (\(bind: post.rawValue), \(bind: target)) ON CONFLICT DO NOTHING RETURNING post_id
            """).first() != nil, let row = try await bump(target, by: 1, on: db) {
            changes.append(row)
        }
        return changes
    }

    private static func bump(_ place: Int64, by delta: Int64, on db: any SQLDatabase) async throws -> (id: Int64, key: String, before: Int64, after: Int64)? {
        guard let row = try await db.raw("""
            UPDATE search_places SET public_uses = public_uses + \(bind: delta) WHERE place_id = \(bind: place) RETURNING name_key, public_uses
            """).first() else { return nil }
        let after = try row.decode(column: "public_uses", as: Int64.self)
        return (place, try row.decode(column: "name_key", as: String.self), after - delta, after)
    }

    private static func insertPoint(_ place: Int64, lat: Double, lon: Double, on db: any SQLDatabase) async throws {
        if IndexStore.isSQLite(db) {
            try await db.raw("""
                INSERT INTO search_places_rtree (id, min_lat, max_lat, min_lon, max_lon) VALUES (\(bind: place), \(bind: lat), \(bind: lat), \(bind: lon), \(bind: lon))
                """).run()
        } else {
            try await db.raw("""
                UPDATE search_places SET geo = CAST(ST_SetSRID(ST_MakePoint(\(bind: lon), \(bind: lat)), 4326) AS geography) WHERE place_id = \(bind: place)
                """).run()
        }
    }

    static func find(_ ids: [Int64], on db: any SQLDatabase) async throws -> [PlaceRow] {
        guard !ids.isEmpty else { return [] }
        return try await db.raw("""
            SELECT place_id, name, name_key, lat, lon, public_uses FROM search_places WHERE place_id IN (\(binds: ids)) AND public_uses > 0
            """).all().map { try $0.decode(PlaceRow.self) }
    }

    /// Public places within `box` (SQLite: the R*Tree; PostgreSQL: within `meters` of the centre,
    /// nearest first), at most `limit`; the caller measures and sorts.
    static func near(_ box: GeoBox, meters: Double, limit: Int, on db: any SQLDatabase) async throws -> [PlaceRow] {
        if IndexStore.isSQLite(db) {
            return try await db.raw("""
                SELECT p.place_id, p.name, p.name_key, p.lat, p.lon, p.public_uses FROM search_places_rtree r
                JOIN search_places p ON p.place_id = r.id
                WHERE r.max_lat >= \(bind: box.minLat) AND r.min_lat <= \(bind: box.maxLat) AND r.max_lon >= \(bind: box.minLon) AND r.min_lon <= \(bind: box.maxLon)
                AND p.public_uses > 0 LIMIT \(bind: limit)
                """).all().map { try $0.decode(PlaceRow.self) }
        }
        return try await db.raw("""
            SELECT place_id, name, name_key, lat, lon, public_uses FROM search_places
            WHERE ST_DWithin(geo, CAST(ST_SetSRID(ST_MakePoint(\(bind: box.centre.lon), \(bind: box.centre.lat)), 4326) AS geography), \(bind: meters * 1.01))
            AND public_uses > 0
            ORDER BY geo <-> CAST(ST_SetSRID(ST_MakePoint(\(bind: box.centre.lon), \(bind: box.centre.lat)), 4326) AS geography) LIMIT \(bind: limit)
            """).all().map { try $0.decode(PlaceRow.self) }
    }
}
