import EntativaCore
import EntativaModels
import Feed
import Foundation
import Graph
import Identity
import Posts

/// What `entativa seed` makes, decided in memory before anything is written.
public struct SeedOptions: Sendable {
    public var users = 10_000
    public var posts = 1_000_000
    public var followsPerUser = 100
    /// Friendships per account on Entativa (none on Vignette).
    public var friendsPerUser = 20
    public var seed: UInt64 = 1
    /// Posts are spread over this many days before now.
    public var days = 30
    /// Posts this recent are pushed into homes as fan-out would have; older ones are reached by
    /// the home's read past its entries.
    public var entryHours = 24
    /// Readers who get a history of impressions for the engagement model.
    public var impressionReaders = 2_000
    public var impressionsPerReader = 40
    /// Takes, each a post showing one real seeded video (docs/takes.md, "Benchmark").
    public var takes = 0

    public init() {}

    public static let limits = (users: 2...1_000_000, posts: 0...20_000_000, follows: 0...5_000, friends: 0...1_000, takes: 0...5_000_000)
}

/// The seeded dataset. Accounts sit on a ring: most follows and friendships go to near
/// neighbours (communities, which people-you-may-know can find), the rest to popular accounts
/// drawn from a power law (a few accounts followed by most of the network). Engagement comes
/// mostly from an author's neighbours and grows with the post's quality and the author's
/// audience, so affinity and early velocity predict who engages, as they would in real use.
struct SeedPlan: Sendable {
    var accounts: [SeededAccount] = []
    var follows: [SeededEdge] = []
    var friendships: [SeededEdge] = []
    var posts: [SeededPost] = []
    var reactions: [SeededReaction] = []
    var comments: [SeededComment] = []
    var interactions: [SeededInteraction] = []
    var entries: [(account: AccountID, post: PostID, author: AccountID)] = []
    /// Authors fan-out would skip (their audience is at the threshold): readers pull them.
    var pulledAuthors: [AccountID] = []
    var impressions: [SeededImpression] = []

    static let instance = 1023
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 24 * hour

    // swiftlint:disable:next function_body_length
    static func make(_ options: SeedOptions, platform: Platform, now: Int64, fanOutThreshold: Int) -> SeedPlan {
        var random = SeedRandom(seed: options.seed)
        var plan = SeedPlan()
        let users = options.users
        let window = max(25, options.followsPerUser)
        let postStart = now - Int64(options.days) * day

        // Accounts, created over the two months before the first post.
        let accountSpan = 60 * day
        for index in 0..<users {
            let created = postStart - accountSpan + accountSpan * Int64(index) / Int64(users)
            let first = SeedWords.firstNames[random.below(SeedWords.firstNames.count)]
            let last = SeedWords.lastNames[random.below(SeedWords.lastNames.count)]
            plan.accounts.append(SeededAccount(
                id: AccountID(rawValue: IDGenerator.id(atUnixMillis: created, instance: instance, sequence: 0)),
                username: "\(first.lowercased())_\(last.lowercased())_\(index)", displayName: "\(first) \(last)",
                bio: SeedWords.bios[random.below(SeedWords.bios.count)], createdAt: created))
        }
        let ids = plan.accounts.map(\.id)

        // Popularity: a Zipf law over a shuffled order.
        var order = Array(0..<users)
        order.shuffle(using: &random)
        var popularity = [Double](repeating: 0, count: users)
        for (rank, user) in order.enumerated() { popularity[user] = 1 / pow(Double(rank + 1), 1.05) }
        let popular = WeightedPicker(weights: popularity)

        // Nearer neighbours are likelier (an exponential fall-off), so two accounts that share
        // neighbours tend to know each other: the triangles real social graphs are full of.
        func neighbour(of user: Int) -> Int {
            let distance = 1 + min(window * 4, Int(random.exponential(mean: Double(window) / 4)))
            let offset = random.chance(0.5) ? distance : -distance
            return ((user + offset) % users + users) % users
        }
        func edgeTime(_ a: Int, _ b: Int) -> Int64 {
            let from = max(plan.accounts[a].createdAt, plan.accounts[b].createdAt)
            return from + Int64(random.unit() * Double(now - hour - from))
        }

        // Follows: 60 % to neighbours, 40 % to popular accounts.
        var sources = [[Int32]](repeating: [], count: users)  // whom each account's home shows
        var audience = [[Int32]](repeating: [], count: users)  // who may see "followers" posts
        var friendsOf = [[Int32]](repeating: [], count: users)
        let follows = min(options.followsPerUser, users - 1)
        for user in 0..<users {
            var chosen = Set<Int>()
            var attempts = 0
            while chosen.count < follows && attempts < follows * 20 {
                attempts += 1
                let target = random.chance(0.6) ? neighbour(of: user) : popular.pick(using: &random)
                if target != user { chosen.insert(target) }
            }
            for target in chosen.sorted() {
                plan.follows.append(SeededEdge(source: ids[user], target: ids[target], createdAt: edgeTime(user, target)))
                sources[user].append(Int32(target))
                audience[target].append(Int32(user))
            }
        }
        if platform == .entativa {
            var pairs = Set<Int64>()
            for user in 0..<users {
                for _ in 0..<(min(options.friendsPerUser, users - 1) / 2) {
                    let other = neighbour(of: user)
                    let (a, b) = (min(user, other), max(user, other))
                    guard pairs.insert(Int64(a) << 32 | Int64(b)).inserted else { continue }
                    plan.friendships.append(SeededEdge(source: ids[a], target: ids[b], createdAt: edgeTime(a, b)))
                    friendsOf[a].append(Int32(b))
                    friendsOf[b].append(Int32(a))
                }
            }
        }
        // Whom an author's posts reach, as the fan-out counts them: followers and friends.
        // Sorted, never in a set's order: that changes between runs, and the draws below with it.
        let members: [[Int32]] = (0..<users).map { Set(audience[$0] + friendsOf[$0]).sorted() }
        for user in 0..<users { sources[user] = Set(sources[user] + friendsOf[user]).sorted() }

        plan.makePosts(options, platform: platform, now: now, popularity: popularity, random: &random)
        let positions = Positions(
            accounts: Dictionary(uniqueKeysWithValues: plan.accounts.enumerated().map { ($1.id, $0) }),
            posts: Dictionary(uniqueKeysWithValues: plan.posts.enumerated().map { ($1.id, $0) }))
        plan.makeEngagement(
            now: now, window: window, users: users, platform: platform, members: members, audience: audience, friendsOf: friendsOf,
            positions: positions, random: &random)
        plan.makeEntries(since: now - Int64(options.entryHours) * hour, members: members, fanOutThreshold: fanOutThreshold, positions: positions)
        plan.makeImpressions(options, now: now, sources: sources, positions: positions, random: &random)
        return plan
    }

    /// Where each account and post sits in `accounts` and `posts`; fixed once the posts are made.
    struct Positions {
        var accounts: [AccountID: Int]
        var posts: [PostID: Int]
    }

    private mutating func makePosts(_ options: SeedOptions, platform: Platform, now: Int64, popularity: [Double], random: inout SeedRandom) {
        let users = accounts.count
        let prolific = WeightedPicker(weights: popularity.map { sqrt($0) })
        let start = now - Int64(options.days) * Self.day
        var times = (0..<options.posts).map { _ in start + Int64(random.unit() * Double(now - Self.hour / 60 - start)) }
        times.sort()
        var lastMillis: Int64 = -1
        var sequence = 0
        var shared = Set<Int64>()  // one share per account and original
        for (index, time) in times.enumerated() {
            sequence = time == lastMillis ? sequence + 1 : 0
            lastMillis = time
            let millis = time + Int64(sequence / 4096)
            let id = PostID(rawValue: IDGenerator.id(atUnixMillis: millis, instance: Self.instance, sequence: sequence % 4096))
            let author = random.chance(0.5) ? random.below(users) : prolific.pick(using: &random)
            // A share re-posts one of the last few thousand public originals.
            if index > 100, random.chance(0.03) {
                let original = posts[index - 1 - random.below(min(index - 1, 3_000))]
                if original.sharedPostId == nil, original.audience == .public, original.author != accounts[author].id,
                    shared.insert(original.id.rawValue ^ (accounts[author].id.rawValue << 20)).inserted
                {
                    posts.append(SeededPost(id: id, author: accounts[author].id, text: "", audience: .public, hashtags: [], sharedPostId: original.id, createdAt: millis))
                    continue
                }
            }
            let roll = random.unit()
            let audience: PostAudience =
                roll < 0.02 ? .onlyMe : roll < 0.17 ? (platform == .entativa ? .friends : .followers) : .public
            var words = (0..<(6 + random.below(15))).map { _ in SeedWords.vocabulary[random.below(SeedWords.vocabulary.count)] }
            // Some tags are trending: their share of posts grows through the period.
            var tags: [String] = []
            for _ in 0..<random.below(3) {
                let growing = random.chance(Double(index) / Double(max(1, options.posts)) * 0.3)
                let tag = growing ? SeedWords.growingTags[random.below(SeedWords.growingTags.count)] : SeedWords.tags[random.below(SeedWords.tags.count)]
                if !tags.contains(tag) { tags.append(tag) }
            }
            words += tags.map { "#\($0)" }
            posts.append(SeededPost(
                id: id, author: accounts[author].id, text: words.joined(separator: " ").capitalizedFirst + ".", audience: audience, hashtags: tags,
                sharedPostId: nil, createdAt: millis))
        }
    }

    // swiftlint:disable:next function_parameter_count
    private mutating func makeEngagement(
        now: Int64, window: Int, users: Int, platform: Platform, members: [[Int32]], audience: [[Int32]], friendsOf: [[Int32]],
        positions: Positions, random: inout SeedRandom
    ) {
        let (index, postIndex) = (positions.accounts, positions.posts)
        var commentIDs = Set<Int64>()  // a random sequence makes an equal ID in one millisecond rare, not impossible
        let kinds: [ReactionKind] = platform == .vignette ? [.like] : [.like, .like, .like, .love, .love, .haha, .wow, .sad, .angry]
        func close(_ a: Int, _ b: Int) -> Bool {
            let distance = abs(a - b)
            return min(distance, users - distance) <= window / 2
        }
        for position in posts.indices {
            let post = posts[position]
            let author = index[post.author]!
            let viewers: [Int32]
            switch post.audience {
            case .onlyMe, .closeFriends: viewers = []
            case .friends: viewers = friendsOf[author]
            case .followers: viewers = audience[author]
            case .public: viewers = members[author]
            }
            if let original = post.sharedPostId, let at = postIndex[original] {
                posts[at].shareCount += 1
                interactions.append(SeededInteraction(viewer: post.author, author: posts[at].author, kind: .share, at: post.createdAt))
            }
            guard !viewers.isEmpty else { continue }
            // How engaging the post is, and how many it reaches.
            let quality = exp(0.9 * sqrt(-2 * log(max(random.unit(), 1e-12))) * cos(2 * .pi * random.unit()) - 0.4)
            let mean = (0.3 + 0.03 * Double(viewers.count)) * quality
            func engager() -> Int? {
                for _ in 0..<8 {
                    let candidate = Int(viewers[random.below(viewers.count)])
                    // Neighbours engage five times as readily as the author's other readers.
                    if close(candidate, author) || random.chance(0.2) { return candidate }
                }
                return nil
            }
            func after(_ mean: Double) -> Int64? {
                let at = post.createdAt + Int64(random.exponential(mean: mean))
                return at < now ? at : nil
            }
            var reactors = Set<Int>()
            for _ in 0..<min(viewers.count, random.poisson(mean), 300) {
                guard let reader = engager(), reactors.insert(reader).inserted, let at = after(3 * Double(Self.hour)) else { continue }
                reactions.append(SeededReaction(post: post.id, account: accounts[reader].id, kind: kinds[random.below(kinds.count)], createdAt: at))
                interactions.append(SeededInteraction(viewer: accounts[reader].id, author: post.author, kind: .reaction, at: at))
                posts[position].reactionCount += 1
            }
            var topLevel: [(id: CommentID, author: AccountID, at: Int64, position: Int)] = []
            for _ in 0..<min(random.poisson(mean * 0.3), 100) {
                guard let reader = engager(), let at = after(5 * Double(Self.hour)) else { continue }
                var id = CommentID(rawValue: IDGenerator.id(atUnixMillis: at, instance: Self.instance, sequence: random.below(4096)))
                while !commentIDs.insert(id.rawValue).inserted { id = CommentID(rawValue: id.rawValue + 1) }
                let text = (0..<(3 + random.below(12))).map { _ in SeedWords.vocabulary[random.below(SeedWords.vocabulary.count)] }.joined(separator: " ")
                if let parent = topLevel.last, random.chance(0.25), parent.at < at {
                    comments.append(SeededComment(id: id, post: post.id, parent: parent.id, author: accounts[reader].id, text: text, createdAt: at))
                    comments[parent.position].replyCount += 1
                    interactions.append(SeededInteraction(viewer: accounts[reader].id, author: parent.author, kind: .comment, at: at))
                } else {
                    topLevel.append((id, accounts[reader].id, at, comments.count))
                    comments.append(SeededComment(id: id, post: post.id, parent: nil, author: accounts[reader].id, text: text, createdAt: at))
                    interactions.append(SeededInteraction(viewer: accounts[reader].id, author: post.author, kind: .comment, at: at))
                }
                posts[position].commentCount += 1
            }
        }
    }

    /// The entries fan-out would have pushed for the posts since `since`.
    private mutating func makeEntries(since: Int64, members: [[Int32]], fanOutThreshold: Int, positions: Positions) {
        let index = positions.accounts
        pulledAuthors = accounts.indices.filter { members[$0].count >= fanOutThreshold }.map { accounts[$0].id }
        for post in posts where post.createdAt >= since {
            entries.append((post.author, post.id, post.author))
            let readers = members[index[post.author]!]
            guard post.audience != .onlyMe, readers.count < fanOutThreshold else { continue }
            for reader in readers { entries.append((accounts[Int(reader)].id, post.id, post.author)) }
        }
    }

    /// For a sample of readers, posts of their sources shown between 29 and 2 days ago: the ones
    /// they engaged with (the first engagement after the showing) and others they passed over.
    private mutating func makeImpressions(_ options: SeedOptions, now: Int64, sources: [[Int32]], positions: Positions, random: inout SeedRandom) {
        let (index, postIndex) = (positions.accounts, positions.posts)
        let (from, to) = (now - 29 * Self.day, now - 2 * Self.day)
        var byAuthor = [[Int]](repeating: [], count: accounts.count)
        for (position, post) in posts.enumerated() where post.createdAt >= from && post.createdAt < to && post.audience == .public {
            byAuthor[index[post.author]!].append(position)
        }
        var firstEngagement: [Int64: Int64] = [:]  // reader << 32 | post position → time
        var events = [[Int64]](repeating: [], count: posts.count)  // engagement times per post
        func note(_ reader: AccountID, _ post: PostID, _ at: Int64) {
            guard let position = postIndex[post], let user = index[reader] else { return }
            events[position].append(at)
            let key = Int64(user) << 32 | Int64(position)
            firstEngagement[key] = min(firstEngagement[key] ?? .max, at)
        }
        for reaction in reactions { note(reaction.account, reaction.post, reaction.createdAt) }
        for comment in comments { note(comment.author, comment.post, comment.createdAt) }
        for post in posts { if let original = post.sharedPostId { note(post.author, original, post.createdAt) } }
        var engagedBy = [Int: [Int]]()
        for key in firstEngagement.keys { engagedBy[Int(key >> 32), default: []].append(Int(key & 0xFFFF_FFFF)) }

        var readers = Array(0..<accounts.count)
        readers.shuffle(using: &random)
        for reader in readers.prefix(options.impressionReaders) where !sources[reader].isEmpty {
            var chosen = Set<Int>()
            let engaged = (engagedBy[reader] ?? []).filter { posts[$0].createdAt >= from && posts[$0].createdAt < to }.sorted()
            for position in engaged.prefix(options.impressionsPerReader / 3) { chosen.insert(position) }
            var attempts = 0
            while chosen.count < options.impressionsPerReader && attempts < options.impressionsPerReader * 10 {
                attempts += 1
                let source = Int(sources[reader][random.below(sources[reader].count)])
                guard !byAuthor[source].isEmpty else { continue }
                chosen.insert(byAuthor[source][random.below(byAuthor[source].count)])
            }
            for position in chosen.sorted() {
                let post = posts[position]
                let first = firstEngagement[Int64(reader) << 32 | Int64(position)]
                var shown = post.createdAt + 60_000 + Int64(random.unit() * Double(6 * Self.hour))
                if let first { shown = max(post.createdAt, min(shown, first - 60_000)) }
                let times = events[position]
                let kind: PostKind = post.sharedPostId != nil ? .share : .text
                // The counts as they stood when it was shown: engagement spread by time.
                let before = times.count { $0 <= shown }
                let share = times.isEmpty ? 0 : Double(before) / Double(times.count)
                let signals = PostSignals(
                    id: post.id, author: post.author, createdAt: post.createdAt,
                    reactions: Int((Double(post.reactionCount) * share).rounded()), comments: Int((Double(post.commentCount) * share).rounded()),
                    shares: Int((Double(post.shareCount) * share).rounded()), kind: kind)
                impressions.append(SeededImpression(
                    reader: accounts[reader].id, post: signals, shownAt: shown,
                    dwellMs: first != nil ? 3_000 + random.below(17_000) : 300 + random.below(3_700), engagedAt: first))
            }
        }
    }
}

extension String {
    fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
