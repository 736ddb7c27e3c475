import EntativaCore
import EntativaModels
import EntativaTestSupport
@testable import Feed
import Foundation
import Posts
import Testing

@Suite("Feed: engagement model")
struct EngagementModelTests {
    /// Pairs of (engaged, ignored) a score orders rightly, ties half: 0.6 beats 0.5 and 0.2,
    /// 0.3 beats only 0.2, so 3 of 4; a tie between the two labels is worth ½.
    @Test("AUC is the share of engaged–ignored pairs ordered rightly, ties counting half")
    func handComputedAUC() {
        #expect(EngagementModel.auc(scores: [(0.6, true), (0.3, true), (0.5, false), (0.2, false)]) == 0.75)
        #expect(EngagementModel.auc(scores: [(0.8, true), (0.4, true), (0.35, false), (0.1, false)]) == 1)
        #expect(EngagementModel.auc(scores: [(0.1, true), (0.35, true), (0.4, false), (0.8, false)]) == 0)
        #expect(EngagementModel.auc(scores: [(0.5, true), (0.5, false)]) == 0.5)
        #expect(EngagementModel.auc(scores: [(0.5, true), (0.7, true)]) == nil)
    }

    /// A post with 6 raw engagement, three hours old, by an author of affinity 1, shown to a
    /// reader who engaged with 1 of 4 media posts: affinity ½, age ln 4/ln 169, velocity
    /// ln 3/ln 101, kind rate 2/6.
    @Test("Features are scaled by their documented formulas")
    func handComputedFeatures() {
        let post = PostSignals(id: PostID(rawValue: 1), author: AccountID(rawValue: 2), createdAt: 0, reactions: 2, comments: 2, shares: 0, kind: .media)
        let features = EngagementFeatures(post: post, affinity: 1, kindRate: EngagementFeatures.kindRate(engaged: 1, shown: 4), now: 3 * 3_600_000)
        #expect(features.affinity == 0.5)
        #expect(abs(features.age - log(4) / log(169)) < 1e-12)
        #expect(abs(features.velocity - log(3) / log(101)) < 1e-12)
        #expect(abs(features.kindRate - 2.0 / 6) < 1e-12)
        #expect(features.vector.count == EngagementFeatures.count)
        #expect(Array(features.vector[3...4]) == [1, 0])
    }

    @Test("Training learns a signal the features carry, gives the same model twice, and survives its stored form")
    func learnsASignal() {
        // Readers engage with posts by authors they like, whatever the post's age or kind.
        var generator = SplitMix(seed: 7)
        let samples = (0..<400).map { index -> (features: EngagementFeatures, engaged: Bool) in
            let liked = index % 3 == 0
            let features = EngagementFeatures(
                affinity: liked ? 0.5 + generator.unit() * 0.4 : generator.unit() * 0.3, age: generator.unit(), velocity: generator.unit() * 0.2,
                kind: index % 2 == 0 ? .text : .media, kindRate: 0.5)
            return (features, liked)
        }
        let model = EngagementModel.train(Array(samples[..<300]))
        #expect(model == EngagementModel.train(Array(samples[..<300])))
        #expect(model.weights[0] > 1, "affinity should weigh most: \(model.weights)")
        let auc = EngagementModel.auc(scores: samples[300...].map { (model.probability($0.features), $0.engaged) })
        #expect((auc ?? 0) > 0.95)
        #expect(EngagementModel(json: model.json) == model)
        #expect(EngagementModel(json: "{\"bias\": 1, \"weights\": [1]}") == nil)
    }

    /// Four readers like author L (each reacted to an earlier post of L's) and not author O.
    /// They are shown 10 posts of each, then react to all of L's and to two of O's. A day later
    /// the model trains on those impressions. Affinity tells L's posts apart, not O's two from
    /// O's others (shown alike), so a perfect ranker scores (40 × 1 + 8 × ½) ÷ 48 = 0.92 on all
    /// 80; the held-out fifth must beat 0.8. Ranked homes then say which model version scored them.
    @Test("Impressions and engagements train a model whose held-out AUC is high; ranked pages then use it")
    func trainsOnImpressions() async throws {
        try await TestApp.run(configure: { $0.feed.modelMinSamples = 20 }) { app, api in
            let liked = try await api.register("liked")
            let other = try await api.register("other")
            var readers: [AuthTokens] = []
            for index in 0..<4 {
                let reader = try await api.register("reader\(index)")
                try await api.follow(liked.account.id, token: reader.accessToken)
                try await api.follow(other.account.id, token: reader.accessToken)
                readers.append(reader)
            }
            let warmUp = try await api.publish("warm-up", token: liked.accessToken)
            var likedPosts: [Post] = []
            var otherPosts: [Post] = []
            for index in 0..<10 {
                likedPosts.append(try await api.publish("liked \(index)", token: liked.accessToken))
                otherPosts.append(try await api.publish("other \(index)", token: other.accessToken))
            }
            for reader in readers {
                #expect(try await api.request(.put, "/api/v1/posts/\(warmUp.id)/reaction", json: SetReactionRequest(kind: .like), token: reader.accessToken).status == 200)
            }
            try await app.runJobs()
            let untrained = try await api.get("/api/v1/timelines/home?order=ranked", token: readers[0].accessToken).decode(HomePage.self)
            #expect(untrained.ranking.leftOut == ["model"] && untrained.ranking.modelVersion == nil)
            #expect(try await ModelTraining(env: app.runtime.feed.env).train() == .notEnoughData(impressions: 0, engaged: 0))

            for reader in readers {
                let shown = (likedPosts + otherPosts).map { ImpressionReport(postId: $0.id, dwellMs: 1_200) }
                let receipt = try await api.post("/api/v1/timelines/impressions", RecordImpressionsRequest(impressions: shown), token: reader.accessToken)
                #expect(try receipt.decode(ImpressionReceipt.self) == ImpressionReceipt(recorded: 20, ignored: 0))
                for post in likedPosts + otherPosts.prefix(2) {
                    #expect(try await api.request(.put, "/api/v1/posts/\(post.id)/reaction", json: SetReactionRequest(kind: .like), token: reader.accessToken).status == 200)
                }
            }
            try await app.runJobs()
            // Not yet: an impression waits a day for its label.
            #expect(try await ModelTraining(env: app.runtime.feed.env).train() == .notEnoughData(impressions: 0, engaged: 0))
            app.clock.advance(by: .seconds(25 * 3600))
            guard case .trained(let version, let auc, let training, let heldOut) = try await ModelTraining(env: app.runtime.feed.env).train() else {
                Issue.record("no model trained")
                return
            }
            #expect(version == 1 && training + heldOut == 80)
            #expect(auc > 0.8, "held-out AUC \(auc)")
            let ranked = try await api.get("/api/v1/timelines/home?order=ranked", token: try await api.freshToken("reader0")).decode(HomePage.self)
            #expect(ranked.ranking.leftOut.isEmpty && ranked.ranking.modelVersion == 1)
            #expect(ranked.ranking.terms == ["recency": 0.4, "engagement": 0.3, "affinity": 0.2, "model": 0.1])
        }
    }
}

@Suite("Feed: impressions")
struct ImpressionTests {
    @Test("A batch records posts I may see, keeps the longest dwell of a repeat, and ignores my own and hidden posts")
    func recording() async throws {
        try await TestApp.run { app, api in
            let reader = try await api.register("reader")
            let author = try await api.register("author")
            try await api.follow(author.account.id, token: reader.accessToken)
            let open = try await api.publish("open", token: author.accessToken)
            let hidden = try await api.publish("hidden", audience: .onlyMe, token: author.accessToken)
            let mine = try await api.publish("mine", token: reader.accessToken)
            let batch = RecordImpressionsRequest(impressions: [
                ImpressionReport(postId: open.id, dwellMs: 500), ImpressionReport(postId: open.id, dwellMs: 900),
                ImpressionReport(postId: hidden.id), ImpressionReport(postId: mine.id), ImpressionReport(postId: PostID(rawValue: 999_999)),
            ])
            let response = try await api.post("/api/v1/timelines/impressions", batch, token: reader.accessToken)
            #expect(response.status == 200, "\(response.text)")
            #expect(try response.decode(ImpressionReceipt.self) == ImpressionReceipt(recorded: 1, ignored: 4))
            _ = try await api.post("/api/v1/timelines/impressions", RecordImpressionsRequest(impressions: [ImpressionReport(postId: open.id, dwellMs: 300)]), token: reader.accessToken)
            let rows = try await app.kernel.database.sql.raw("SELECT dwell_ms FROM feed_impressions").all()
            #expect(try rows.map { try $0.decode(column: "dwell_ms", as: Int.self) } == [900])
        }
    }

    @Test("Impressions need a token and 1–100 reports with dwell times of 0–3,600,000 ms; a refused batch records nothing")
    func denials() async throws {
        try await TestApp.run { app, api in
            let reader = try await api.register("reader")
            let post = try await api.publish("p", token: try await api.register("author").accessToken)
            let one = RecordImpressionsRequest(impressions: [ImpressionReport(postId: post.id)])
            #expect(try await api.post("/api/v1/timelines/impressions", one).status == 401)
            let tooMany = RecordImpressionsRequest(impressions: Array(repeating: ImpressionReport(postId: post.id), count: 101))
            for (form, field) in [
                (RecordImpressionsRequest(impressions: []), "impressions"), (tooMany, "impressions"),
                (RecordImpressionsRequest(impressions: [ImpressionReport(postId: post.id, dwellMs: -1)]), "impressions[0].dwell_ms"),
                (RecordImpressionsRequest(impressions: [ImpressionReport(postId: post.id), ImpressionReport(postId: post.id, dwellMs: 3_600_001)]), "impressions[1].dwell_ms"),
            ] {
                let response = try await api.post("/api/v1/timelines/impressions", form, token: reader.accessToken)
                #expect(response.status == 422 && response.fieldErrors == [field], "\(response.text)")
            }
            let malformed = try await api.raw(
                .post, "/api/v1/timelines/impressions", headers: [.authorization: "Bearer \(reader.accessToken)", .contentType: "application/json"],
                body: Data(#"{"impressions":[{"post_id":"-4"}]}"#.utf8))
            #expect([400, 422].contains(malformed.status))
            let count = try await app.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM feed_impressions").first()?.decode(column: "n", as: Int.self)
            #expect(count == 0)
        }
    }

    /// Two new posts by one author, equal in everything but age by a second: the newer ranks
    /// first until the reader is shown it, then its score halves and the older one leads.
    @Test("Ranked homes sink posts I was already shown")
    func seenPostsSink() async throws {
        try await TestApp.run { app, api in
            let reader = try await api.register("reader")
            let author = try await api.register("author")
            try await api.follow(author.account.id, token: reader.accessToken)
            _ = try await api.publish("older", token: author.accessToken)
            app.clock.advance(by: .seconds(1))
            let newer = try await api.publish("newer", token: author.accessToken)
            try await app.runJobs()
            func ranked() async throws -> [String] {
                try await api.get("/api/v1/timelines/home?order=ranked", token: reader.accessToken).decode(HomePage.self).items.map(\.text)
            }
            #expect(try await ranked() == ["newer", "older"])
            _ = try await api.post("/api/v1/timelines/impressions", RecordImpressionsRequest(impressions: [ImpressionReport(postId: newer.id)]), token: reader.accessToken)
            #expect(try await ranked() == ["older", "newer"])
        }
    }
}

/// A small deterministic generator, so the training test's data is the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func unit() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
}
