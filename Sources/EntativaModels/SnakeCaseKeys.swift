import Foundation
import Synchronization

/// Foundation's snake_case key conversion, remembered per key. Converting every key of every
/// object anew was a tenth of the server's time on a page of posts; the keys are the properties
/// of the wire types, a few hundred, so the memory is bounded (and capped in case it is not).
enum SnakeCaseKeys {
    private static let converted = Mutex<[String: String]>([:])
    private static let capacity = 4_096

    static func key(for path: [any CodingKey]) -> any CodingKey {
        guard let last = path.last else { return ConvertedKey("") }
        if last.intValue != nil { return last }
        return ConvertedKey(convert(last.stringValue))
    }

    static func convert(_ key: String) -> String {
        if let known = converted.withLock({ $0[key] }) { return known }
        let result = foundationConversion(of: key)
        converted.withLock { if $0.count < capacity { $0[key] = result } }
        return result
    }

    /// Asks Foundation itself, so the output is exactly what `.convertToSnakeCase` writes.
    private static func foundationConversion(of key: String) -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(OneKey(key: key)),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Int], let converted = object.keys.first
        else { return key }
        return converted
    }

    private struct OneKey: Encodable {
        let key: String

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: ConvertedKey.self)
            try container.encode(0, forKey: ConvertedKey(key))
        }
    }

    private struct ConvertedKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }

        init(_ stringValue: String) { self.stringValue = stringValue }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
