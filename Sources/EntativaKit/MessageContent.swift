import EntativaCrypto
import EntativaModels

/// What a decrypted message holds, framed by a leading byte: 0x01 and the message's bytes, or
/// 0x02, the group's conversation ID (8 bytes, big-endian) and a Sender Key distribution. The
/// server never sees the frame: it is inside the ciphertext.
enum MessageContent: Equatable {
    case message([UInt8])
    case senderKeyDistribution(ConversationID, SenderKeyDistribution)

    static let messageTag: UInt8 = 0x01
    static let distributionTag: UInt8 = 0x02

    var encoded: [UInt8] {
        switch self {
        case .message(let body):
            return [Self.messageTag] + body
        case .senderKeyDistribution(let group, let distribution):
            let id = UInt64(bitPattern: group.rawValue)
            return [Self.distributionTag] + (0..<8).map { UInt8(truncatingIfNeeded: id >> (56 - 8 * $0)) } + distribution.serialized
        }
    }

    init(decoding bytes: [UInt8]) throws {
        guard let tag = bytes.first else { throw SignalError.malformedMessage }
        switch tag {
        case Self.messageTag:
            self = .message(Array(bytes.dropFirst()))
        case Self.distributionTag:
            guard bytes.count > 9 else { throw SignalError.malformedMessage }
            let id = bytes[1..<9].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            self = .senderKeyDistribution(ConversationID(rawValue: Int64(bitPattern: id)), try SenderKeyDistribution(parsing: Array(bytes.dropFirst(9))))
        default:
            throw SignalError.malformedMessage
        }
    }
}
