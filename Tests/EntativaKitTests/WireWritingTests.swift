import EntativaModels
import Foundation
import Testing

/// The hand-written JSON of the hot wire types must be exactly the bytes Foundation's encoder
/// (with the API's conventions) writes: clients and the OpenAPI contract were built on those.
@Suite("Wire writing")
struct WireWritingTests {
    /// Strings that exercise every escape Foundation writes, and characters it passes through.
    static let awkwardStrings = [
        "", "plain", "quote \" backslash \\ slash / done", "lines\nand\r\ttabs", "\u{08}\u{0C}\u{00}\u{01}\u{1F}\u{7F}",
        "é café 東京 👩🏽‍💻 e\u{301}", "\u{2028}\u{2029}\u{FEFF}", "</script>", "{\"json\": [1, 2]}",
    ]

    static func account(_ index: Int, full: Bool) -> Account {
        var account = Account(
            id: AccountID(rawValue: Int64(index) * 1_000_003 + 1), username: "user\(index)",
            displayName: awkwardStrings[index % awkwardStrings.count], bio: awkwardStrings[(index + 3) % awkwardStrings.count],
            links: full ? ["https://example.com/a/b", "http://x.y/\"q\""] : [], isPrivate: index % 2 == 0,
            role: [.user, .moderator, .admin][index % 3], createdAt: Date(timeIntervalSince1970: 1_700_000_000.1234 + Double(index) * 3_601.7),
            followersCount: index * 17, followingCount: Int.max - index, postsCount: index)
        if full {
            account.friendsCount = index
            account.email = "user\(index)@example.com"
            account.emailVerified = index % 2 == 1
            account.totpEnabled = true
            account.suspended = false
        }
        return account
    }

    static func media(_ index: Int, full: Bool) -> MediaAttachment {
        MediaAttachment(
            id: MediaID(rawValue: Int64(index) + 90), kind: [.image, .video, .audio][index % 3],
            state: [.pending, .processing, .ready, .failed][index % 4], progress: index % 101,
            failureReason: full ? "ffmpeg said \"no\"" : nil, width: full ? 1080 : nil, height: full ? 1920 : nil,
            durationSeconds: full ? [15.0, 0.1, 89.999, 1e-7, 1e21, 123456789.125][index % 6] : nil,
            altText: full ? awkwardStrings[index % awkwardStrings.count] : nil,
            focalPoint: full ? FocalPoint(x: -0.5, y: 1.0) : nil, blurhash: full ? "LEHV6nWB2yk8pyo0adR*.7kCMdnj" : nil,
            dominantColor: full ? "#a0b1c2" : nil, waveform: full ? [0, 0.25, 1.0, 0.333333333333] : nil, isPrivate: index % 2 == 0,
            variants: full
                ? [
                    MediaVariant(name: "small", url: "/media/1/small.webp", contentType: "image/webp", width: 320, height: 240),
                    MediaVariant(name: "hls", url: "/media/1/master.m3u8", contentType: "application/vnd.apple.mpegurl", bitrate: 2_500_000),
                ] : [],
            createdAt: Date(timeIntervalSince1970: 1_600_000_000.9995 + Double(index)))
    }

    static func post(_ index: Int, full: Bool, shared: Post? = nil) -> Post {
        Post(
            id: PostID(rawValue: Int64(index) + 500), author: account(index, full: full), text: awkwardStrings[index % awkwardStrings.count],
            audience: PostAudience.allCases[index % PostAudience.allCases.count],
            commentPolicy: CommentPolicy.allCases[index % CommentPolicy.allCases.count],
            location: full ? PostLocation(name: "Café \"Zoë\"", latitude: -33.8688, longitude: 151.2093) : nil,
            media: full ? [media(index, full: true), media(index + 1, full: false)] : [],
            hashtags: full ? ["swift", "café", "東京"] : [], mentions: full ? [MentionedAccount(id: AccountID(rawValue: 3), username: "ada")] : [],
            reactions: ReactionSummary(
                total: full ? 6 : 0, counts: full ? ["wow": 1, "like": 2, "haha": 3, "love_it": 0] : [:], mine: full ? .like : nil),
            commentCount: index, shareCount: full ? 2 : 0, isShare: shared != nil || index % 5 == 4, sharedPostId: shared?.id,
            sharedPost: shared, saved: full ? index % 2 == 0 : nil, editedAt: full ? Date(timeIntervalSince1970: 1_700_000_100.5) : nil,
            createdAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(index) * 0.001))
    }

    static func expectSameBytes(_ value: some JSONWritable) throws {
        let expected = try EntativaJSON.encoder().encode(value)
        let written = value.jsonBytes()
        #expect(
            written == Array(expected),
            "hand-written:\n\(String(decoding: written, as: UTF8.self))\nencoder:\n\(String(decoding: expected, as: UTF8.self))")
    }

    @Test("Posts, their authors, media, reactions and pages are written byte for byte as the encoder writes them")
    func sameBytesAsEncoder() throws {
        for index in 0..<24 {
            for full in [false, true] {
                try Self.expectSameBytes(Self.account(index, full: full))
                try Self.expectSameBytes(Self.media(index, full: full))
                let original = Self.post(index, full: full)
                try Self.expectSameBytes(original)
                try Self.expectSameBytes(Self.post(index + 1, full: !full, shared: original))
            }
        }
        let posts = (0..<20).map { Self.post($0, full: $0 % 3 != 0, shared: $0 % 4 == 0 ? Self.post($0 + 7, full: true) : nil) }
        try Self.expectSameBytes(Page(items: posts, nextCursor: "cursor\"/\n"))
        try Self.expectSameBytes(Page(items: posts, nextCursor: nil))
        try Self.expectSameBytes(Page(items: [Post](), nextCursor: nil))
        try Self.expectSameBytes(Page(items: (0..<5).map { Self.account($0, full: true) }, nextCursor: "9"))
        let tray = (0..<6).map {
            StoryTrayItem(
                account: Self.account($0, full: $0 % 2 == 0), storyCount: $0 + 1, unseenCount: $0, latestAt: Date(timeIntervalSince1970: 1_700_000_000.25 + Double($0)),
                closeFriends: $0 % 3 == 0)
        }
        try Self.expectSameBytes(Page(items: tray, nextCursor: "20"))
        let ranking = HomeRanking(order: .ranked, terms: ["recency": 0.4, "engagement": 0.3, "affinity": 0.2, "a_b": 1e-7], leftOut: ["model"])
        try Self.expectSameBytes(HomePage(items: posts, nextCursor: "12-1800000000000-20", ranking: ranking))
        try Self.expectSameBytes(HomePage(items: [], nextCursor: nil, ranking: HomeRanking(order: .chronological, terms: [:], leftOut: [])))
        try Self.expectSameBytes(HomePage(items: [], nextCursor: nil, ranking: HomeRanking(order: .ranked, terms: ["model": 0.1], leftOut: [], modelVersion: 12)))

        let takes = (0..<8).map { index in
            let full = index % 2 == 0
            let sound = TakeSound(
                id: SoundID(rawValue: Int64(900 + index)), title: "Tone \"\(index)\"", creator: full ? Self.account(index, full: true) : nil,
                durationMs: 4_000 + index, media: full ? Self.media(index, full: true) : nil, useCount: index)
            let credit = TrendCredit(
                trendId: TrendID(rawValue: Int64(700 + index)), kind: TrendKind.allCases[index % 3], key: "dance\(index)",
                originator: full ? Self.account(index + 1, full: false) : nil, originTakeId: full ? PostID(rawValue: Int64(800 + index)) : nil,
                isOrigin: index % 3 == 0)
            return Take(
                id: PostID(rawValue: Int64(100 + index)), post: Self.post(index, full: full), durationMs: 15_000 + index * 1_000, width: 1080,
                height: 1920, orientation: TakeOrientation.allCases[index % 3], coverAtMs: index * 10, allowRemix: full, allowDuet: !full,
                sound: index % 3 == 0 ? nil : sound, soundStartMs: index % 3 == 0 ? nil : index * 100, viewCount: index * 7, hasBehindTheTake: full,
                template: full ? TemplateCredit(templateId: TemplateID(rawValue: Int64(600 + index)), name: "T\(index)", creator: index % 4 == 0 ? nil : Self.account(index, full: false)) : nil,
                trends: index % 3 == 1 ? [] : [credit, credit], createdAt: Date(timeIntervalSince1970: 1_700_000_000.125 + Double(index)))
        }
        for take in takes { try Self.expectSameBytes(take) }
        let items = takes.enumerated().map { index, take in
            TakeFeedItem(
                take: take, score: 0.1 * Double(index) + 1e-9, completion: 0.75, rewatch: Double(index) / 3, velocity: 0.6, affinity: 0, boost: index == 0 ? 0.25 : 0)
        }
        try Self.expectSameBytes(Page(items: items, nextCursor: "1-2-3"))
        try Self.expectSameBytes(Page(items: takes, nextCursor: nil))
    }

    @Test("Timestamps are the ISO 8601 formatter's, rounded to the millisecond, before and after 1970")
    func timestampsMatchFoundation() {
        var generator = SystemRandomNumberGenerator()
        var dates = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -0.0005), Date(timeIntervalSince1970: -1),
            Date(timeIntervalSince1970: 951_782_400), Date(timeIntervalSince1970: 1_709_164_799.9996),
            Date(timeIntervalSince1970: 253_402_300_799.999), Date(timeIntervalSince1970: -62_135_596_800),
        ]
        for _ in 0..<5_000 {
            dates.append(Date(timeIntervalSince1970: Double.random(in: -2_000_000_000...5_000_000_000, using: &generator)))
        }
        for date in dates {
            #expect(EntativaJSON.formatTimestamp(date) == Self.foundationTimestamp(date), "\(date.timeIntervalSince1970)")
        }
    }

    /// What the API wrote before it formatted timestamps itself.
    static func foundationTimestamp(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = millis.quotientAndRemainder(dividingBy: 1000)
        let whole = fraction < 0 ? seconds - 1 : seconds
        let base = Date(timeIntervalSince1970: Double(whole)).formatted(Date.ISO8601FormatStyle())
        let milliseconds = (fraction + 1000) % 1000
        return base.dropLast() + "." + String(milliseconds + 1000).dropFirst() + "Z"
    }
}
