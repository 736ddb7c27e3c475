import NIOCore

/// Refuses a multipart body whose part-header *names* carry bytes above 0x7F, before MultipartKit
/// sees them: its parser (4.7.1, the newest the mirror has) looks such a byte up in a 128-entry
/// table and traps, which took the whole server down on one signed-in request (found by
/// schemathesis). Header values may carry UTF-8 (browsers send file names that way), so only
/// names are screened. The guard follows the body's structure as the parser does: a delimiter
/// (`--boundary` at the start or after CRLF), the rest of its line, then header lines up to an
/// empty one, then content until the next delimiter; after the closing delimiter, nothing.
struct MultipartHeaderGuard {
    private enum State {
        case content
        case delimiterLine(closing: Int)
        case headerName(empty: Bool)
        case headerValue
        case afterCR(next: State.Next)
        case epilogue

        enum Next { case header, content }
    }

    private let pattern: [UInt8]
    private let failure: [Int]
    private var matched: Int
    private var state = State.content

    init(boundary: String) {
        pattern = Array("\r\n--\(boundary)".utf8)
        var failure = Array(repeating: 0, count: pattern.count)
        var k = 0
        for i in 1..<pattern.count {
            while k > 0, pattern[i] != pattern[k] { k = failure[k - 1] }
            if pattern[i] == pattern[k] { k += 1 }
            failure[i] = k
        }
        self.failure = failure
        // The first delimiter may open the body without a CRLF before it.
        matched = 2
    }

    /// False once a header name carried a byte the parser cannot take.
    mutating func accepts(_ chunk: ByteBuffer) -> Bool {
        for byte in chunk.readableBytesView {
            switch state {
            case .content:
                while matched > 0, byte != pattern[matched] { matched = failure[matched - 1] }
                if byte == pattern[matched] { matched += 1 }
                if matched == pattern.count {
                    matched = 0
                    state = .delimiterLine(closing: 0)
                }
            case .delimiterLine(let closing):
                if byte == UInt8(ascii: "-"), closing < 2 {
                    state = closing == 1 ? .epilogue : .delimiterLine(closing: 1)
                } else if byte == UInt8(ascii: "\r") {
                    state = .afterCR(next: .header)
                } else {
                    state = .delimiterLine(closing: 2)
                }
            case .headerName(let empty):
                if byte >= 0x80 { return false }
                if byte == UInt8(ascii: "\r"), empty {
                    state = .afterCR(next: .content)
                } else if byte == UInt8(ascii: ":") {
                    state = .headerValue
                } else {
                    state = .headerName(empty: false)
                }
            case .headerValue:
                if byte == UInt8(ascii: "\r") { state = .afterCR(next: .header) }
            case .afterCR(let next):
                switch next {
                case .header: state = .headerName(empty: true)
                case .content:
                    state = .content
                    matched = 0
                }
            case .epilogue:
                return true
            }
        }
        return true
    }
}
