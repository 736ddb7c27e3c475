import EntativaCore
import EntativaModels
import Graph

/// Who may see which post: the one rule every read path goes through.
///
/// A post is visible when it is not deleted, its author is visible to the viewer (active, and
/// neither blocks the other), and the viewer is in its audience. A private account's public
/// posts reach only its followers (and friends, on Entativa).
struct PostAccess: Sendable {
    let env: PostsEnvironment

    /// The viewer's context for a set of posts: visible authors and connections to them.
    struct Context: Sendable {
        var viewer: Principal?
        var authors: [AccountID: Account]
        var connections: ViewerConnections

        func author(of row: PostRow) -> Account? { authors[row.author] }

        func canSee(_ row: PostRow) -> Bool {
            guard row.deletedAt == nil, let author = authors[row.author] else { return false }
            return reaches(row.audience, of: author)
        }

        /// Whether the viewer is in `author`'s `audience`.
        func reaches(_ audience: PostAudience, of author: Account) -> Bool {
            guard let viewer else { return audience == .public && !author.isPrivate }
            if viewer.accountID == author.id { return true }
            switch audience {
            case .public: return connections.reachesEveryone(of: author)
            case .followers: return connections.following.contains(author.id)
            case .friends: return connections.friends.contains(author.id)
            case .closeFriends: return connections.closeFriendOf.contains(author.id)
            case .onlyMe: return false
            }
        }

        /// Whether the viewer may comment under `row` (which they can see).
        func canComment(on row: PostRow) -> Bool {
            guard let viewer else { return false }
            switch row.commentPolicy {
            case .nobody: return false
            case .everyone: return true
            case .followers: return viewer.accountID == row.author || connections.following.contains(row.author)
            case .friends: return viewer.accountID == row.author || connections.friends.contains(row.author)
            }
        }
    }

    /// `counts: false` when no author will be rendered (a visibility check): counting a
    /// thousand authors' followers and posts costs more than the check itself.
    func context(for rows: [PostRow], viewer: Principal?, counts: Bool = true) async throws -> Context {
        let authorIDs = Array(Set(rows.map(\.author)))
        let accounts = try await env.profiles.accounts(authorIDs, viewer: viewer, counts: counts)
        let connections = try await env.connections.of(viewer?.accountID, with: authorIDs)
        return Context(viewer: viewer, authors: Dictionary(uniqueKeysWithValues: accounts.map { ($0.id, $0) }), connections: connections)
    }

    /// The post if `viewer` may see it; otherwise 404, whatever the reason.
    func visible(_ id: PostID, viewer: Principal?) async throws -> (row: PostRow, context: Context) {
        guard let row = try await env.rows.find(id) else { throw AppError.notFound("post") }
        let context = try await context(for: [row], viewer: viewer)
        guard context.canSee(row) else { throw AppError.notFound("post") }
        return (row, context)
    }

    /// Scans rows in batches until a page of visible ones is full, so a timeline mixing authors
    /// and audiences neither leaks nor returns empty pages while more exist. A scan stops after
    /// `scanLimit` rows; the cursor then points past what was scanned. When `onlyBy` is given,
    /// posts by anyone else are skipped like invisible ones (a home shows only its sources).
    func scan<Key: Sendable>(
        viewer: Principal?, limit: Int, scanLimit: Int = 1_000, onlyBy: Set<AccountID>? = nil,
        fetch: (_ after: Key?, _ count: Int) async throws -> [(key: Key, row: PostRow)]
    ) async throws -> (rows: [PostRow], context: Context, next: Key?) {
        var shown: [(key: Key, row: PostRow)] = []
        var position: Key?
        var scanned = 0
        var contexts: [Context] = []
        while true {
            let batchSize = max(limit * 2, 40)
            let batch = try await fetch(position, batchSize)
            scanned += batch.count
            let context = try await context(for: batch.map(\.row), viewer: viewer)
            contexts.append(context)
            for item in batch where context.canSee(item.row) && onlyBy?.contains(item.row.author) != false {
                shown.append(item)
                if shown.count > limit { break }
            }
            position = batch.last?.key
            if shown.count > limit || batch.count < batchSize { break }
            if scanned >= scanLimit {
                return (shown.map(\.row), merge(contexts, viewer: viewer), position)
            }
        }
        let page = Array(shown.prefix(limit))
        let next = shown.count > limit ? page.last?.key : nil
        return (page.map(\.row), merge(contexts, viewer: viewer), next)
    }

    private func merge(_ contexts: [Context], viewer: Principal?) -> Context {
        var merged = Context(viewer: viewer, authors: [:], connections: ViewerConnections())
        for context in contexts {
            merged.authors.merge(context.authors) { first, _ in first }
            merged.connections.following.formUnion(context.connections.following)
            merged.connections.friends.formUnion(context.connections.friends)
            merged.connections.closeFriendOf.formUnion(context.connections.closeFriendOf)
        }
        return merged
    }
}
