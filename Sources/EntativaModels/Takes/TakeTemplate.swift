import Foundation

public enum TemplateEntity {}
public typealias TemplateID = Identifier<TemplateEntity>

public struct TemplateClipSlot: Codable, Sendable, Equatable {
    public var durationMs: Int

    public init(durationMs: Int) { self.durationMs = durationMs }
}

/// A transition between clips at a point of the template's timeline.
public struct TemplateTransition: Codable, Sendable, Equatable {
    public static let kinds = ["cut", "fade", "slide", "zoom", "spin", "glitch", "whip"]
    public var atMs: Int
    public var kind: String

    public init(atMs: Int, kind: String) { (self.atMs, self.kind) = (atMs, kind) }
}

/// An effect applied from `start_ms` to `end_ms`, with named numeric parameters.
public struct TemplateEffect: Codable, Sendable, Equatable {
    public var name: String
    public var startMs: Int
    public var endMs: Int
    public var parameters: [String: Double]

    public init(name: String, startMs: Int, endMs: Int, parameters: [String: Double] = [:]) {
        (self.name, self.startMs, self.endMs, self.parameters) = (name, startMs, endMs, parameters)
    }
}

/// Text shown from `start_ms` to `end_ms` at a point given as fractions of the frame.
public struct TemplateTextOverlay: Codable, Sendable, Equatable {
    public var text: String
    public var startMs: Int
    public var endMs: Int
    public var x: Double
    public var y: Double

    public init(text: String, startMs: Int, endMs: Int, x: Double, y: Double) {
        (self.text, self.startMs, self.endMs, self.x, self.y) = (text, startMs, endMs, x, y)
    }
}

/// A recipe for a Take: clip slots, transitions, effects, beat markers on its sound, overlays.
public struct TakeTemplate: Codable, Sendable, Equatable {
    public var id: TemplateID
    public var name: String
    public var creator: Account
    /// The Take it was made from, when its creator made it from one and the viewer may see it.
    public var sourceTakeId: PostID?
    public var sound: TakeSound?
    public var soundStartMs: Int?
    public var clips: [TemplateClipSlot]
    public var transitions: [TemplateTransition]
    public var effects: [TemplateEffect]
    /// Offsets into the template's timeline, each within the sound.
    public var beatMarkersMs: [Int]
    public var textOverlays: [TemplateTextOverlay]
    /// The clips' total.
    public var durationMs: Int
    /// Live Takes made with it.
    public var useCount: Int
    public var createdAt: Date

    public init(
        id: TemplateID, name: String, creator: Account, sourceTakeId: PostID?, sound: TakeSound?, soundStartMs: Int?, clips: [TemplateClipSlot],
        transitions: [TemplateTransition], effects: [TemplateEffect], beatMarkersMs: [Int], textOverlays: [TemplateTextOverlay], durationMs: Int,
        useCount: Int, createdAt: Date
    ) {
        (self.id, self.name, self.creator, self.sourceTakeId, self.sound, self.soundStartMs) = (id, name, creator, sourceTakeId, sound, soundStartMs)
        (self.clips, self.transitions, self.effects, self.beatMarkersMs, self.textOverlays) = (clips, transitions, effects, beatMarkersMs, textOverlays)
        (self.durationMs, self.useCount, self.createdAt) = (durationMs, useCount, createdAt)
    }
}

public struct CreateTemplateRequest: Codable, Sendable {
    public var name: String
    /// One of my Takes to make it from: its sound comes along unless `sound_id` names another.
    public var fromTakeId: PostID?
    public var soundId: SoundID?
    public var soundStartMs: Int?
    public var clips: [TemplateClipSlot]
    public var transitions: [TemplateTransition]?
    public var effects: [TemplateEffect]?
    public var beatMarkersMs: [Int]?
    public var textOverlays: [TemplateTextOverlay]?

    public init(
        name: String, fromTakeId: PostID? = nil, soundId: SoundID? = nil, soundStartMs: Int? = nil, clips: [TemplateClipSlot],
        transitions: [TemplateTransition]? = nil, effects: [TemplateEffect]? = nil, beatMarkersMs: [Int]? = nil, textOverlays: [TemplateTextOverlay]? = nil
    ) {
        (self.name, self.fromTakeId, self.soundId, self.soundStartMs, self.clips) = (name, fromTakeId, soundId, soundStartMs, clips)
        (self.transitions, self.effects, self.beatMarkersMs, self.textOverlays) = (transitions, effects, beatMarkersMs, textOverlays)
    }
}

/// The template a Take was made with, crediting its creator.
public struct TemplateCredit: Codable, Sendable, Equatable {
    public var templateId: TemplateID
    public var name: String
    /// Absent when the viewer may not see the template's creator.
    public var creator: Account?

    public init(templateId: TemplateID, name: String, creator: Account?) { (self.templateId, self.name, self.creator) = (templateId, name, creator) }
}

public enum TemplateOrder: String, Codable, Sendable, CaseIterable {
    /// Most uses in the last 7 days first.
    case trending
    case newest
}
