import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Media
import Testing

@Suite("Media: video and audio processing")
struct VideoAudioTests {
    @Test("A 20 s 1080p video gives a five-rung HLS ladder that ffprobe confirms, a poster and a sprite")
    func ladder() async throws {
        try await TestApp.run { app, api in
            let user = try await api.register("filmmaker")
            // Five frames a second: the ladder, sizes and lengths are what is checked, and at 30
            // this one transcode was a tenth of the whole suite's CPU time.
            let source = try await Fixtures.video(seconds: 20, width: 1920, height: 1080, rate: 5)
            let media = try await api.uploadAndProcess(app, try Data(contentsOf: source), token: user.accessToken)
            #expect(media.state == .ready, "\(media.failureReason ?? "")")
            #expect(media.kind == .video)
            #expect(abs((media.durationSeconds ?? 0) - 20) < 0.5)
            let rungs = media.variants.filter { $0.name.hasPrefix("hls_") }
            #expect(rungs.map(\.name) == ["hls_240p", "hls_360p", "hls_480p", "hls_720p", "hls_1080p"])
            let expected = [(426, 240), (640, 360), (854, 480), (1280, 720), (1920, 1080)]
            for (rung, size) in zip(rungs, expected) {
                let name = String(rung.name.dropFirst(4))
                let probed = try await Fixtures.probe(app.blobPath(media.id, "hls/\(name)/index.m3u8"))
                #expect(probed.width == size.0 && probed.height == size.1, "\(name): \(probed)")
                #expect(abs((probed.duration ?? 0) - 20) < 0.6, "\(name) lasts \(probed.duration ?? 0)")
                let playlist = try String(contentsOfFile: app.blobPath(media.id, "hls/\(name)/index.m3u8"), encoding: .utf8)
                #expect(playlist.contains("#EXT-X-TARGETDURATION:6"))
            }
            let master = try await api.get(try #require(media.variant("hls")).path)
            #expect(master.status == 200)
            #expect(master.text.components(separatedBy: "BANDWIDTH=").count - 1 == 5)
            #expect(master.headers[.contentType] == "application/vnd.apple.mpegurl")
            let segment = try await api.get(try #require(media.variant("hls_720p")).path.replacingOccurrences(of: "index.m3u8", with: "segment_000.ts"))
            #expect(segment.status == 200)
            let poster = try await Fixtures.probe(app.blobPath(media.id, "poster.jpg"))
            #expect(poster.width == 1080)
            let sprite = try await Fixtures.probe(app.blobPath(media.id, "sprite.jpg"))
            #expect(sprite.width == 800)
            #expect(media.blurhash != nil)
        }
    }

    @Test("A small portrait video only gets the rungs at or below its size")
    func smallPortrait() async throws {
        try await TestApp.run { app, api in
            let user = try await api.register("vertical")
            let media = try await api.uploadAndProcess(
                app, try await Data(contentsOf: Fixtures.video(seconds: 3, width: 360, height: 640, audio: false)), token: user.accessToken)
            #expect(media.state == .ready, "\(media.failureReason ?? "")")
            #expect(media.variants.filter { $0.name.hasPrefix("hls_") }.map(\.name) == ["hls_240p", "hls_360p"])
            let probed = try await Fixtures.probe(app.blobPath(media.id, "hls/240p/index.m3u8"))
            #expect(probed.width == 240 && probed.height == 426)
        }
    }

    @Test("A truncated video is refused or fails with a reason")
    func truncated() async throws {
        try await TestApp.run { app, api in
            let user = try await api.register("broken")
            // moov at the end: cutting the file loses the index, which ffprobe notices at upload.
            let tail = try await api.uploadMedia(try await Fixtures.truncated(Fixtures.video(seconds: 6, width: 640, height: 360), fraction: 0.5), token: user.accessToken)
            #expect(tail.status == 422)
            #expect(tail.problem?.errors?.first?.code == "unreadable")
            // moov at the front: the file probes fine, and processing finds that it stops early.
            let front = try await Fixtures.truncated(Fixtures.video(seconds: 6, width: 640, height: 360, faststart: true), fraction: 0.5)
            let upload = try await api.uploadMedia(front, token: user.accessToken)
            if upload.status == 202 {
                try await app.runJobs()
                let media = try await api.get("/api/v1/media/\(try upload.decode(MediaAttachment.self).id)", token: user.accessToken)
                    .decode(MediaAttachment.self)
                #expect(media.state == .failed)
                #expect(media.failureReason?.contains("truncated") == true, "\(media.failureReason ?? "")")
            } else {
                #expect(upload.status == 422)
            }
        }
    }

    @Test("Audio becomes AAC with its duration and a 100-point waveform")
    func audio() async throws {
        try await TestApp.run { app, api in
            let user = try await api.register("musician")
            let media = try await api.uploadAndProcess(app, try await Data(contentsOf: Fixtures.audio(seconds: 5)), token: user.accessToken)
            #expect(media.state == .ready, "\(media.failureReason ?? "")")
            #expect(media.kind == .audio)
            #expect(abs((media.durationSeconds ?? 0) - 5) < 0.2)
            #expect(media.waveform?.count == 100)
            #expect((media.waveform ?? []).allSatisfy { (0...1).contains($0) })
            #expect((media.waveform ?? []).max() ?? 0 > 0.1)
            let probed = try await Fixtures.probe(app.blobPath(media.id, "audio.m4a"))
            #expect(abs((probed.duration ?? 0) - 5) < 0.2)
        }
    }

    @Test("A processing job interrupted by a crash is taken over and finishes")
    func resumesAfterCrash() async throws {
        try await TestApp.run { app, api in
            let user = try await api.register("crasher")
            let upload = try await api.uploadMedia(try await Data(contentsOf: Fixtures.png()), token: user.accessToken)
            let media = try upload.decode(MediaAttachment.self)
            // A worker claimed the job and died mid-way: the row says processing, the lease is held.
            try await app.kernel.database.sql.raw("""
                UPDATE jobs SET state = 'running', attempts = 1, locked_until = \(bind: app.clock.nowMillis() + 60_000)
                """).run()
            try await app.kernel.database.sql.raw("UPDATE media SET state = 'processing', progress = 40").run()
            try await app.runJobs()
            #expect(try await api.get("/api/v1/media/\(media.id)", token: user.accessToken).decode(MediaAttachment.self).state == .processing)
            app.clock.advance(by: .seconds(61))
            try await app.runJobs()
            #expect(try await api.get("/api/v1/media/\(media.id)", token: user.accessToken).decode(MediaAttachment.self).state == .ready)
        }
    }
}
