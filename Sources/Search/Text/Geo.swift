import Foundation

/// Distances on the Earth as a sphere (mean radius), the same on both engines: PostGIS's
/// spheroid only narrows candidates, and every distance a client reads comes from here.
struct GeoPoint: Sendable, Equatable {
    var lat: Double
    var lon: Double

    static let earthRadiusKm = 6371.0088

    /// The great-circle distance in kilometres (haversine).
    func kilometres(to other: GeoPoint) -> Double {
        let rad = Double.pi / 180
        let dLat = (other.lat - lat) * rad, dLon = (other.lon - lon) * rad
        let a = pow(sin(dLat / 2), 2) + cos(lat * rad) * cos(other.lat * rad) * pow(sin(dLon / 2), 2)
        return 2 * Self.earthRadiusKm * asin(min(1, a.squareRoot()))
    }
}

/// The latitude–longitude box around a circle: everything within the circle is inside it.
struct GeoBox: Sendable, Equatable {
    var centre: GeoPoint
    var minLat: Double
    var maxLat: Double
    var minLon: Double
    var maxLon: Double

    init(around centre: GeoPoint, km: Double) {
        self.centre = centre
        let dLat = km / GeoPoint.earthRadiusKm * 180 / .pi
        minLat = max(-90, centre.lat - dLat)
        maxLat = min(90, centre.lat + dLat)
        // Near a pole or across a wide radius every longitude may be in reach.
        let cosine = cos(min(89.9, abs(centre.lat) + dLat) * .pi / 180)
        let dLon = dLat / max(cosine, 1e-6)
        if dLon >= 180 {
            (minLon, maxLon) = (-180, 180)
        } else {
            (minLon, maxLon) = (max(-180, centre.lon - dLon), min(180, centre.lon + dLon))
        }
    }
}
