import AsyncKit
@testable import EntativaCore
import EntativaModels
import Foundation
import Testing

@Suite("Operational answers")
struct OperationalWritingTests {
    @Test("Health answers are written byte for byte as the encoder writes them")
    func healthBytes() throws {
        for health in [Health(status: "ok", detail: nil), Health(status: "unavailable", detail: "database: \"timed out\"\n")] {
            #expect(health.jsonBytes() == Array(try EntativaJSON.encoder().encode(health)))
        }
    }

    @Test("Request IDs are distinct lower-case random (version 4, RFC 4122 variant) UUIDs")
    func requestIDs() {
        var seen = Set<String>()
        for _ in 0..<1_000 {
            let id = ProblemMiddleware<AppRequestContext>.newRequestID()
            #expect(id.count == 36 && id == id.lowercased())
            #expect(UUID(uuidString: id)?.uuidString.lowercased() == id)
            let characters = Array(id)
            #expect(characters[14] == "4" && "89ab".contains(characters[19]))
            seen.insert(id)
        }
        #expect(seen.count == 1_000)
    }
}

@Suite("Overload")
struct OverloadTests {
    @Test("A database pool that stays busy past its wait answers 503 with Retry-After, not 500")
    func poolExhaustionIs503() {
        let busy = ProblemMiddleware<AppRequestContext>.translate(ConnectionPoolTimeoutError.connectionRequestTimeout)
        #expect(busy.status == 503 && busy.retryAfterSeconds == 1)
        #expect(ProblemMiddleware<AppRequestContext>.translate(CancellationError()).status == 500)
    }
}
