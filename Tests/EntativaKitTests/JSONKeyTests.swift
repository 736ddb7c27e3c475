import EntativaModels
import Foundation
import Testing

/// The wire's key conversion is remembered per key for speed; it must write exactly what
/// Foundation's `.convertToSnakeCase` writes.
@Suite("JSON keys")
struct JSONKeyTests {
    @Test("The remembered snake_case keys equal Foundation's, on a post with every part, twice")
    func sameAsFoundation() throws {
        var author = Account(
            id: AccountID(rawValue: 7), username: "ada", displayName: "Ada", bio: "bio", links: ["https://example.com"],
            isPrivate: false, role: .user, createdAt: Date(timeIntervalSince1970: 1_700_000_000))
        author.friendsCount = 3
        author.emailVerified = true
        let shared = Post(
            id: PostID(rawValue: 1), author: author, text: "first", audience: .public, commentPolicy: .everyone,
            location: PostLocation(name: "Here", latitude: 1.5, longitude: 2.5), media: [], hashtags: ["tag"], mentions: [],
            reactions: ReactionSummary(total: 3, counts: ["like": 2, "haha": 1], mine: .like), commentCount: 1, shareCount: 1,
            isShare: false, sharedPostId: nil, sharedPost: nil, saved: true, editedAt: Date(timeIntervalSince1970: 1_700_000_100),
            createdAt: Date(timeIntervalSince1970: 1_700_000_000))
        let share = Post(
            id: PostID(rawValue: 2), author: author, text: "", audience: .friends, commentPolicy: .friends, location: nil, media: [],
            hashtags: [], mentions: [], reactions: ReactionSummary(total: 0, counts: [:], mine: nil), commentCount: 0, shareCount: 0,
            isShare: true, sharedPostId: shared.id, sharedPost: shared, saved: nil, editedAt: nil, createdAt: Date(timeIntervalSince1970: 1_700_000_200))
        let page = Page(items: [share, shared], nextCursor: "2")

        let foundation = EntativaJSON.encoder()
        foundation.keyEncodingStrategy = .convertToSnakeCase
        let expected = try foundation.encode(page)
        for _ in 0..<2 {
            #expect(try EntativaJSON.encoder().encode(page) == expected)
        }
        let text = String(decoding: expected, as: UTF8.self)
        #expect(text.contains(#""shared_post_id":"1""#) && text.contains(#""friends_count":3"#) && text.contains(#""like":2"#))
    }
}
