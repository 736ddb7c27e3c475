import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import HTTPTypes
@testable import Media
import Testing

@Suite("Hostile media input")
struct HostileMediaTests {
    @Test("A signed path with an absurd expiry is refused, never trapped on")
    func absurdExpiry() async throws {
        try await TestApp.run { app, api in
            let owner = try await api.register("secretive")
            let media = try await api.uploadAndProcess(app, try await Data(contentsOf: Fixtures.png()), token: owner.accessToken, fields: ["private": "true"])
            let signed = try #require(media.variant("small")).path
            var parts = signed.split(separator: "/").map(String.init)
            for expiry in ["9223372036854775807", "9223372036854775808", "-1", "0", "1e308", "NaN", String(repeating: "9", count: 5000)] {
                parts[3] = expiry
                let answer = try await api.get("/" + parts.joined(separator: "/"))
                #expect(answer.status == 403, "\(expiry.prefix(30))")
            }
            #expect(try await api.get(signed).status == 200, "the server is still up")
        }
    }

    @Test("A range past the end of the file is clamped: 206, never 200 or a crash", arguments: [
        ("bytes=0-99999999999999999999999999", true), ("bytes=0-9223372036854775807", true), ("bytes=10-", true),
        ("bytes=-99999999999999999999", true), ("bytes=99999999999999999999-", false), ("bytes=-5-9", false), ("bytes=+0-5", false),
    ])
    func hugeRanges(header: String, partial: Bool) async throws {
        try await TestApp.run { app, api in
            let user = try await api.register("ranger")
            let media = try await api.uploadAndProcess(app, try await Data(contentsOf: Fixtures.jpeg()), token: user.accessToken)
            let path = try #require(media.variant("original")).path
            let size = try await api.get(path).body.count
            let answer = try await api.raw(.get, path, headers: [.range: header])
            if partial {
                #expect(answer.status == 206)
                #expect(answer.headers[.contentRange]?.hasSuffix("/\(size)") == true)
            } else {
                #expect([200, 416].contains(answer.status))
            }
        }
    }

    @Test("ffprobe output with NaN, 1e308 or Int.min is refused as unreadable", arguments: [
        #"{"format":{"format_name":"mov,mp4","duration":"nan"},"streams":[{"codec_type":"video","codec_name":"h264","width":64,"height":64}]}"#,
        #"{"format":{"format_name":"mov,mp4","duration":"1e308"},"streams":[{"codec_type":"video","codec_name":"h264","width":64,"height":64}]}"#,
        #"{"format":{"format_name":"mov,mp4","duration":"inf"},"streams":[]}"#,
        #"{"format":{"format_name":"mov,mp4","duration":"-3"},"streams":[]}"#,
    ])
    func craftedDurations(json: String) {
        #expect(throws: MediaTools.Failure.self) { try MediaProbe.parse(Data(json.utf8)) }
    }

    @Test("Absurd sizes and rotations count as absent, so the policy refuses the file")
    func craftedSizes() throws {
        let json = #"{"format":{"format_name":"mov,mp4","duration":"3"},"streams":[{"codec_type":"video","codec_name":"h264","width":-5,"height":9999999,"side_data_list":[{"rotation":-9223372036854775808}]}]}"#
        let probe = try MediaProbe.parse(Data(json.utf8))
        #expect(probe.width == nil && probe.height == nil && probe.rotation == 0)
        do {
            _ = try MediaPolicy().classify(probe, size: 1000)
            Issue.record("a video without a picture size was accepted")
        } catch let error as AppError {
            #expect(error.status == 422)
        }
    }

    @Test("A multipart upload with thousands of extra fields, or one huge field, is refused with 413")
    func formFieldFlood() async throws {
        try await TestApp.run { _, api in
            let user = try await api.register("flooder")
            let png = try await Data(contentsOf: Fixtures.png())
            var many: [String: String] = [:]
            for index in 0..<2000 { many["f\(index)"] = String(repeating: "x", count: 1000) }
            #expect(try await api.uploadMedia(png, token: user.accessToken, fields: many).status == 413)
            var nine: [String: String] = [:]
            for index in 0..<9 { nine["f\(index)"] = "x" }
            #expect(try await api.uploadMedia(png, token: user.accessToken, fields: nine).status == 413)
            #expect(try await api.uploadMedia(png, token: user.accessToken, fields: ["alt": String(repeating: "y", count: 2000)]).status == 413)
            #expect(try await api.uploadMedia(png, token: user.accessToken, fields: ["private": "false"]).status == 202)
        }
    }

    @Test("An upload over 1 MiB with an Idempotency-Key works, and a retry replays the same media")
    func idempotentLargeUpload() async throws {
        try await TestApp.run { app, api in
            let user = try await api.register("retrier")
            let noise = try await Fixtures.make("noise-800.png", ["-f", "lavfi", "-i", "color=c=gray:s=800x800,noise=alls=100:allf=t+u,format=rgb24", "-frames:v", "1"])
            let data = try Data(contentsOf: noise)
            #expect(data.count > 1 << 20)
            func upload() async throws -> TestResponse {
                try await api.uploadMediaWithKey(data, token: user.accessToken, key: "upload-1")
            }
            let first = try await upload()
            #expect(first.status == 202)
            let second = try await upload()
            #expect(second.status == 202)
            #expect(second.headers[.idempotentReplayed] == "true")
            #expect(try first.decode(MediaAttachment.self).id == second.decode(MediaAttachment.self).id)
            let rows = try await app.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM media").first()
            #expect(try rows?.decode(column: "n", as: Int.self) == 1)
        }
    }
}
