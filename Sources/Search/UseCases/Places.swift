import EntativaCore
import EntativaModels
import Foundation

/// Places: named locations public posts were made at, found by name or by distance. Only
/// public posts by public accounts make or count a place, so a place reveals no narrower post.
struct Places: Sendable {
    let env: SearchEnvironment
    static let maxRadiusKm = 1_000.0
    /// Places read from one box on SQLite before measuring: a city's worth.
    static let boxLimit = 5_000

    func hits(_ rows: [PlaceStore.PlaceRow], around point: GeoPoint?) -> [PlaceHit] {
        rows.map { row in
            PlaceHit(
                id: PlaceID(rawValue: row.placeId), name: row.name, latitude: row.lat, longitude: row.lon, uses: Int(row.publicUses),
                distanceKm: point.map { $0.kilometres(to: GeoPoint(lat: row.lat, lon: row.lon)) })
        }
    }

    /// Places with a word starting with each of `words` (the first through autocomplete's
    /// prefixes), most used first, or nearest first around `point`.
    func named(_ words: [String], around point: GeoPoint?, limit: Int) async throws -> [PlaceHit] {
        guard let first = words.first else { return [] }
        let db = env.database.sql
        let top = try await PrefixStore.top(.place, prefix: Prefixes.cut(first), limit: limit, on: db)
        let rows = try await PlaceStore.find(top.compactMap { Int64($0.entity) }, on: db).filter { row in
            let names = SearchText.names(of: row.nameKey)
            return words.allSatisfy { word in names.contains { $0.hasPrefix(word) } }
        }
        let found = hits(rows, around: point)
        if point != nil { return found.sorted { ($0.distanceKm ?? 0, $0.id) < ($1.distanceKm ?? 0, $1.id) } }
        return found.sorted { $0.uses != $1.uses ? $0.uses > $1.uses : $0.id < $1.id }
    }

    /// Places within `km` of `point`, nearest first. PostgreSQL's GiST index answers nearest
    /// first itself; on SQLite the R*Tree box around a circle grows until it holds enough.
    func nearby(_ point: GeoPoint, km: Double, limit: Int) async throws -> [PlaceHit] {
        let db = env.database.sql
        if !IndexStore.isSQLite(db) {
            let rows = try await PlaceStore.near(GeoBox(around: point, km: km), meters: km * 1000, limit: limit, on: db)
            return Array(hits(rows, around: point).filter { ($0.distanceKm ?? .infinity) <= km }.sorted(by: Self.nearest).prefix(limit))
        }
        var radius = min(km, 1)
        while true {
            let rows = try await PlaceStore.near(GeoBox(around: point, km: radius), meters: radius * 1000, limit: Self.boxLimit, on: db)
            let within = hits(rows, around: point).filter { ($0.distanceKm ?? .infinity) <= radius }.sorted(by: Self.nearest)
            if within.count >= limit || radius >= km || rows.count >= Self.boxLimit { return Array(within.prefix(limit)) }
            radius = min(km, radius * 4)
        }
    }

    private static func nearest(_ a: PlaceHit, _ b: PlaceHit) -> Bool {
        (a.distanceKm ?? 0, a.id) < (b.distanceKm ?? 0, b.id)
    }
}
