import EntativaModels
import FluentPostgresDriver
import FluentSQLiteDriver
import NIOCore

// A typed ID is a BIGINT in every table. Its `Codable` form is the wire's decimal string, so
// without these conformances a row column would not decode into it and a `bind:` of it would
// send text, which PostgreSQL refuses to compare with BIGINT. Both drivers take these fast paths
// before falling back to `Codable`.

extension Identifier: PostgresNonThrowingEncodable, PostgresDecodable {
    public static var psqlType: PostgresDataType { Int64.psqlType }
    public static var psqlFormat: PostgresFormat { Int64.psqlFormat }

    public func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        rawValue.encode(into: &byteBuffer, context: context)
    }

    public init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat, context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        self.init(rawValue: try Int64(from: &buffer, type: type, format: format, context: context))
    }
}

extension Identifier: SQLiteDataConvertible {
    public init?(sqliteData: SQLiteData) {
        guard case .integer(let value) = sqliteData else { return nil }
        self.init(rawValue: Int64(value))
    }

    public var sqliteData: SQLiteData? { .integer(SQLiteInt64(rawValue)) }
}
