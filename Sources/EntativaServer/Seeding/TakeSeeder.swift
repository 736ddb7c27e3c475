import EntativaCore
import EntativaModels
import Foundation
import Media
import Posts
import Takes

/// The Takes of a seeded dataset: one real 15-second video, made with ffmpeg and processed by
/// the media pipeline, shown by every seeded Take (as one post's media, through Posts), with
/// hashtag challenges drawn from a power law so a few trend, views and completions that vary
/// with each Take's quality, and reactions that come with them.
struct TakeSeeder: Sendable {
    let runtime: EntativaRuntime

    static let challenges = 200
    static let videoSeconds = 15

    func run(count: Int, authors: [AccountID], days: Int, random: inout SeedRandom, now: Int64, progress: @escaping @Sendable (Int) -> Void) async throws {
        guard count > 0, let owner = authors.first else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("entativa-seed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try await SampleVideo.make(seconds: Self.videoSeconds, width: 180, height: 320, in: directory)
        let video = try await MediaLibrary(env: runtime.media.env).ingest(file, owner: owner, isPrivate: false)
        try await MediaProcessing(env: runtime.media.env).process(video.id)
        let processed = try await MediaLibrary(env: runtime.media.env).get(video.id, viewer: nil)
        guard processed.state == .ready, let seconds = processed.durationSeconds else { throw AppError.unavailable("the seeded video did not process") }
        let seeding = TakeSeeding(env: runtime.takes.env)
        try await seeding.keep(video.id, owner: owner)

        let span = Int64(days) * 86_400_000
        var posts: [SeededPost] = []
        var takes: [SeededTake] = []
        for _ in 0..<count {
            let id = runtime.kernel.ids.next(PostID.self)
            let author = authors[random.below(authors.count)]
            // Newer Takes are likelier, as real use grows.
            let createdAt = now - Int64(pow(random.unit(), 2) * Double(span))
            // Challenge k is used in proportion to 1 ÷ (k + 1): a few are everywhere.
            let challenge = Int(pow(Double(Self.challenges), random.unit())) - 1
            let tags = random.chance(0.6) ? ["challenge\(challenge)"] : []
            let quality = random.unit()
            let views = random.poisson(20 + 200 * quality * quality)
            let completion = Int(Double(views) * (300 + 650 * quality))
            let rewatches = Int(Double(views) * quality * 0.5)
            var post = SeededPost(
                id: id, author: author, text: tags.map { "Trying the #\($0)" }.first ?? "A Take", audience: .public, hashtags: tags,
                sharedPostId: nil, createdAt: createdAt)
            post.mediaIds = [video.id]
            post.reactionCount = random.poisson(Double(views) * 0.1 * quality)
            post.commentCount = random.poisson(Double(views) * 0.02 * quality)
            posts.append(post)
            takes.append(
                SeededTake(
                    id: id, author: author, media: video.id, durationMs: Int64((seconds * 1000).rounded()), width: processed.width ?? 180,
                    height: processed.height ?? 320, hashtags: tags, createdAt: createdAt, views: views, completionSum: completion,
                    rewatchSum: rewatches))
        }
        try await PostSeeding(env: runtime.posts.env).insertPosts(posts)
        try await seeding.insert(takes, progress: progress)
    }
}
