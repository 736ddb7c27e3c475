import Foundation
import Hummingbird
import Synchronization

/// The general request budget: a token bucket per access token, or per IP address for anonymous
/// callers. It lives in memory because it guards throughput, not security: behind N instances a
/// caller gets N buckets, which the limits in README allow for.
public final class RequestRateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let burst: Double
    let refillPerSecond: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    public init(burst: Int, refillPerSecond: Double) {
        self.burst = Double(burst)
        self.refillPerSecond = refillPerSecond
    }

    /// Takes one token for `key`; returns the seconds to wait when the bucket is empty.
    public func take(_ key: String, now: ContinuousClock.Instant = .now) -> Int? {
        buckets.withLock { buckets in
            if buckets.count > 100_000 { buckets.removeAll(keepingCapacity: true) }
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            let elapsed = (now - bucket.updated).timeInterval
            bucket.tokens = min(burst, bucket.tokens + elapsed * refillPerSecond)
            bucket.updated = now
            defer { buckets[key] = bucket }
            guard bucket.tokens >= 1 else {
                return Int(((1 - bucket.tokens) / refillPerSecond).rounded(.up))
            }
            bucket.tokens -= 1
            return nil
        }
    }
}

public struct RequestRateLimitMiddleware<Context: AppContextProtocol>: RouterMiddleware {
    let limiter: RequestRateLimiter

    public init(limiter: RequestRateLimiter) { self.limiter = limiter }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Load balancers and Prometheus poll these; their probes must never be refused.
        let path = request.uri.path
        if path.hasPrefix("/health/") || path == "/metrics" { return try await next(request, context) }
        let key = context.principal.map { "session:\($0.sessionID)" } ?? "ip:\(context.client.ip)"
        if let wait = limiter.take(key) { throw AppError.rateLimited(retryAfter: wait) }
        return try await next(request, context)
    }
}
