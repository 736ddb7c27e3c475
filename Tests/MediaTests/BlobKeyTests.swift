import Foundation
import Media
import Testing

@Suite("Blob keys")
struct BlobKeyTests {
    @Test("Keys are relative paths of safe characters", arguments: [
        ("media/1/small.jpg", true), ("media/1/hls/720p/seg_001.ts", true), ("../etc/passwd", false),
        ("/abs", false), ("media//x", false), ("media/./x", false), ("media/x y", false), ("", false),
    ])
    func validity(key: String, valid: Bool) {
        #expect(BlobKey.isValid(key) == valid)
    }
}
