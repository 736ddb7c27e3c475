import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whether a push endpoint's host names this machine or a private network, so a client can't make
/// the server post into its own network. IP literals are parsed the way the resolver would read
/// them (`127.1`, `2130706433`, `0x7f.1`, `::ffff:127.0.0.1`), not by their spelling. Names that
/// resolve to such addresses are caught by `PinnedHTTPClients`, which checks what a name resolves
/// to and connects to exactly that address.
public enum PrivateAddress {
    public static func contains(host: String) -> Bool {
        let name = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if name == "localhost" || name.hasSuffix(".localhost") || name.hasSuffix(".local") || name.hasSuffix(".internal") { return true }
        var v4 = in_addr()
        if inet_aton(name, &v4) != 0 { return isPrivate(v4: UInt32(bigEndian: v4.s_addr)) }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, name, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            return isPrivate(v4: bytes[12...].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        }
        let unspecifiedOrLoopback = bytes[0..<15].allSatisfy { $0 == 0 } && bytes[15] <= 1
        let uniqueLocal = bytes[0] & 0xfe == 0xfc
        let linkLocal = bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80
        return unspecifiedOrLoopback || uniqueLocal || linkLocal
    }

    /// 0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.168/16.
    static func isPrivate(v4 address: UInt32) -> Bool {
        let first = address >> 24
        let second = (address >> 16) & 0xff
        switch (first, second) {
        case (0, _), (10, _), (127, _), (169, 254), (192, 168): return true
        case (172, 16...31), (100, 64...127): return true
        default: return false
        }
    }
}
