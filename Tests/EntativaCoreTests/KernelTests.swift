import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Kernel")
struct KernelTests {
    @Test("IDs are unique and sort by creation time")
    func idsSort() {
        let generator = IDGenerator(instance: 7)
        let ids = (0..<10_000).map { _ in generator.next() }
        #expect(Set(ids).count == ids.count)
        #expect(ids == ids.sorted())
        #expect((ids[0] >> 12) & 1023 == 7)
    }

    @Test("Typed IDs travel as strings and reject non-numbers")
    func typedIDs() throws {
        let id = AccountID(rawValue: 382_414_785_498_578_944)
        let data = try EntativaJSON.encoder().encode(["id": id])
        #expect(String(decoding: data, as: UTF8.self) == #"{"id":"382414785498578944"}"#)
        #expect(AccountID("abc") == nil)
        #expect(AccountID("-5") == nil)
        #expect(throws: DecodingError.self) { try EntativaJSON.decoder().decode([String: AccountID].self, from: Data(#"{"id":"x"}"#.utf8)) }
    }

    @Test("Timestamps are ISO 8601 UTC with milliseconds")
    func timestamps() {
        let date = Date(timeIntervalSince1970: 1_800_000_000.123)
        #expect(EntativaJSON.formatTimestamp(date) == "2027-01-15T08:00:00.123Z")
        #expect(EntativaJSON.parseTimestamp("2027-01-15T08:00:00Z") != nil)
    }

    @Test("Page requests validate cursor and limit")
    func pageRequests() {
        let limits = Limits()
        let page = PageRequest(before: nil, limit: 2)
        let built = page.page([5, 4, 3]) { Int64($0) }
        #expect(built.items == [5, 4])
        #expect(built.nextCursor == "4")
        #expect(page.page([5, 4]) { Int64($0) }.nextCursor == nil)
        #expect(limits.maxPageSize == 100)
    }

    @Test("OpenAPI JSON keeps member order and escapes strings")
    func jsonSerialization() {
        let value: JSONValue = ["b": 1, "a": ["x\n\"y\"", true, .null]]
        #expect(value.serialized() == #"{"b":1,"a":["x\n\"y\"",true,null]}"#)
    }
}
