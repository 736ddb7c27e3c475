import Foundation
import Metrics

/// How far behind each consumer runs: `entativa_event_lag_seconds{consumer=…}` on `/metrics` is
/// the age of the newest event it has just handled (event IDs carry their creation time). Under
/// load it is how long a post takes to reach search, a home timeline or a notification.
enum EventLag {
    static func handled(consumer: String, eventIDs: [Int64]) {
        guard let newest = eventIDs.max() else { return }
        let created = (newest >> 22) + IDGenerator.epochMillis
        let lag = max(0, Double(Date().millisecondsSince1970 - created) / 1000)
        Gauge(label: "entativa_event_lag_seconds", dimensions: [("consumer", consumer)]).record(lag)
    }
}
