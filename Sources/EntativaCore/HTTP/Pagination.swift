import EntativaModels
import HTTPTypes
import Hummingbird

/// A page request: items older than `before` (IDs sort by time), at most `limit` of them.
public struct PageRequest: Sendable {
    public var before: Int64?
    public var limit: Int

    public init(before: Int64?, limit: Int) {
        self.before = before
        self.limit = limit
    }

    /// Reads `cursor` and `limit` from the query; bad values are a 422, not a silent default.
    public init(_ request: Request, limits: Limits) throws {
        var validator = Validator()
        let query = request.uri.queryParameters
        var before: Int64?
        if let cursor = query["cursor"].map(String.init), !cursor.isEmpty {
            before = OutsideInteger.parse(cursor, in: OutsideInteger.positive)
            validator.check(before != nil, "cursor", "invalid", "is not a cursor this server gave out")
        }
        let limit = Self.limit(of: request, limits: limits, into: &validator)
        try validator.validate()
        self.init(before: before, limit: limit)
    }

    /// The `limit` query parameter, or the default page size; an out-of-range one is a field error.
    public static func limit(of request: Request, limits: Limits, into validator: inout Validator) -> Int {
        guard let text = request.uri.queryParameters["limit"].map(String.init) else { return limits.defaultPageSize }
        guard let value = OutsideInteger.parseInt(text, in: 1...limits.maxPageSize) else {
            validator.add("limit", "out_of_range", "must be an integer from 1 to \(limits.maxPageSize)")
            return limits.defaultPageSize
        }
        return value
    }

    /// Builds the page from up to `limit + 1` fetched items: the extra one only says there is more.
    public func page<Item>(_ fetched: [Item], id: (Item) -> Int64) -> Page<Item> {
        let (items, next) = Self.split(fetched, limit: limit) { String(id($0)) }
        return Page(items: items, nextCursor: next)
    }

    /// The first `limit` of up to `limit + 1` fetched items, and the cursor of the last one shown
    /// when the extra item says more follow. For lists whose rows become answers only later.
    public static func split<Item>(_ fetched: [Item], limit: Int, cursor: (Item) -> String) -> (items: [Item], nextCursor: String?) {
        let items = Array(fetched.prefix(limit))
        return (items, fetched.count > limit ? items.last.map(cursor) : nil)
    }
}

extension Page {
    /// The page as an answer with an RFC 8288 `Link: <…>; rel="next"` header when there is more.
    public func reply(for request: Request) -> Reply<Page<Item>> {
        Reply(self, headers: PageLink.next(nextCursor, for: request))
    }
}

public enum PageLink {
    /// `Link: <…>; rel="next"` for a list answer whose next page starts at `nextCursor`: the
    /// same request with that cursor. Empty on the last page.
    public static func next(_ nextCursor: String?, for request: Request) -> HTTPFields {
        var headers: HTTPFields = [:]
        if let nextCursor {
            var query = request.uri.queryParameters.filter { $0.key != "cursor" }.map { "\($0.key)=\($0.value)" }
            query.append("cursor=\(nextCursor)")
            headers[HTTPField.Name("Link")!] = "<\(request.uri.path)?\(query.joined(separator: "&"))>; rel=\"next\""
        }
        return headers
    }
}

/// A position in a list ordered by two integers, newest first (a time or score, then an ID to
/// break ties), written `<first>-<second>` on the wire. Lists whose order can't be an ID alone
/// use it: edges by time, reactions by time, comments by score, notification groups by activity.
public struct KeysetCursor: Sendable, Equatable {
    public var first: Int64
    public var second: Int64

    public init(_ first: Int64, _ second: Int64) {
        self.first = first
        self.second = second
    }

    /// Only what this server gives out: a non-negative first part and a positive second, digits
    /// only (`-1-5` is not `1-5` with the signs dropped).
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let first = OutsideInteger.parse(parts[0], in: OutsideInteger.nonNegative),
            let second = OutsideInteger.parse(parts[1], in: OutsideInteger.positive)
        else { return nil }
        self.init(first, second)
    }

    public var text: String { "\(first)-\(second)" }

    /// The `cursor` query parameter as a keyset cursor; a malformed one is a field error.
    public static func parameter(of request: Request, into validator: inout Validator) -> KeysetCursor? {
        guard let text = request.uri.queryParameters["cursor"].map(String.init), !text.isEmpty else { return nil }
        let cursor = KeysetCursor(text)
        validator.check(cursor != nil, "cursor", "invalid", "is not a cursor this server gave out")
        return cursor
    }
}
