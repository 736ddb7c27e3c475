import EntativaCore

extension JobLane {
    /// ffmpeg work: each transcode already uses every core, so two at a time let a small image
    /// through while a long video transcodes, and the default lane (mail, push, events) never waits.
    static let media = JobLane("media", defaultSlots: 2)
}
