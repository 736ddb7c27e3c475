import EntativaCore
import EntativaModels

/// A sound shows to whoever may see the Take that brought it: the rule reusing it follows.
struct Sounds: Sendable {
    let env: TakesEnvironment

    func get(_ id: SoundID, viewer: Principal?) async throws -> TakeSound {
        guard let row = try await TakeStore.sounds([id], on: env.database.sql).first,
            try await env.visiblePosts([row.originTakeId], viewer: viewer).contains(row.originTakeId),
            let sound = try await TakeRenderer(env: env).renderSounds([id], viewer: viewer)[id]
        else { throw AppError.notFound("sound") }
        return sound
    }
}
