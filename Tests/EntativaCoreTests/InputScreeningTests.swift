import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Input screening")
struct InputScreeningTests {
    @Test("NUL, other C0 controls and unpaired surrogates are found in any JSON string, with the field's path", arguments: [
        (#"{"username":"a\u0000b"}"#, "username", "control_character"),
        (#"{"links":["ok","x\u0007"]}"#, "links.1", "control_character"),
        (#"{"quiet":{"time_zone":"Europe\bParis"}}"#, "quiet.time_zone", "control_character"),
        (#"{"bio":"\ud83d"}"#, "bio", "unpaired_surrogate"),
        (#"{"bio":"\udc00 alone"}"#, "bio", "unpaired_surrogate"),
        (#"{"a\u0000":1}"#, "a\u{0}", "control_character"),
    ])
    func findsForbiddenText(json: String, field: String, code: String) {
        let finding = TextScreen.check(json: Array(json.utf8))
        #expect(finding?.field == field)
        #expect(finding?.code == code)
    }

    @Test("Tabs, line breaks, escaped quotes and surrogate pairs pass the screen", arguments: [
        #"{"text":"line\nnext\tcol\r\n","q":"say \"hi\"","emoji":"\ud83d\ude00","n":[1,2,{"k":"v"}]}"#,
        #"{"text":"plain ü 日本"}"#,
    ])
    func passesOrdinaryText(json: String) {
        #expect(TextScreen.check(json: Array(json.utf8)) == nil)
    }

    @Test("Requests carrying NUL are refused with 422 naming the field, on every engine, and change nothing")
    func nulIsRefusedEverywhere() async throws {
        try await TestApp.run { _, api in
            let registration = try await api.request(
                .post, "/api/v1/auth/register",
                raw: #"{"username":"nul_user","email":"a\u0000@example.com","password":"a perfectly fine passphrase"}"#)
            #expect(registration.status == 422)
            #expect(registration.text.contains("\"field\":\"email\""))
            let login = try await api.request(.post, "/api/v1/auth/login", raw: #"{"login":"x\u0000","password":"whatever"}"#)
            #expect(login.status == 422)

            let alice = try await api.register("alice")
            let bio = try await api.request(.patch, "/api/v1/accounts/me", raw: #"{"bio":"hello\u0000"}"#, token: alice.accessToken)
            #expect(bio.status == 422)
            let post = try await api.request(.post, "/api/v1/posts", raw: #"{"text":"hi \u0000 there"}"#, token: alice.accessToken)
            #expect(post.status == 422)
            #expect(post.text.contains("\"field\":\"text\""))
            let query = try await api.get("/api/v1/accounts/lookup?username=al%00ice")
            #expect(query.status == 422)
            #expect(query.text.contains("\"field\":\"username\""))
            let me = try await api.get("/api/v1/accounts/me", token: alice.accessToken).decode(Account.self)
            #expect(me.bio == "")
        }
    }

    @Test("Single-line fields refuse tabs and line breaks; bios and posts keep them")
    func lineBreaks() async throws {
        try await TestApp.run { _, api in
            let alice = try await api.register("alice")
            let name = try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(displayName: "Ada\nLovelace"), token: alice.accessToken)
            #expect(name.status == 422)
            let bio = try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(bio: "first line\nsecond\tline"), token: alice.accessToken)
            #expect(bio.status == 200)
            #expect(try bio.decode(Account.self).bio == "first line\nsecond\tline")
        }
    }

    @Test("Lengths count Unicode scalars: one letter with 400,000 combining marks is not a short name")
    func lengthsCountScalars() async throws {
        try await TestApp.run { _, api in
            let alice = try await api.register("alice")
            let zalgo = "a" + String(repeating: "\u{0301}", count: 400_000)
            #expect(zalgo.count == 1)
            let answer = try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(displayName: zalgo), token: alice.accessToken)
            #expect(answer.status == 422)
            #expect(answer.text.contains("display_name"))
            let fine = try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(displayName: "Zoë"), token: alice.accessToken)
            #expect(fine.status == 200)
        }
    }

    @Test("Integers from outside are digits in range; cursors refuse signs and junk", arguments: [
        ("5", 5 as Int64?), ("+5", nil), ("-1", nil), (" 5", nil), ("0", nil), ("9223372036854775807", Int64.max),
        ("9223372036854775808", nil), ("1e3", nil), ("", nil), (String(repeating: "9", count: 400), nil),
    ])
    func outsideIntegers(text: String, expected: Int64?) {
        #expect(OutsideInteger.parse(text, in: OutsideInteger.positive) == expected)
    }

    @Test("Keyset cursors: `-1-5` is not `1-5`", arguments: [("1-5", true), ("0-5", true), ("-1-5", false), ("1--5", false), ("1-5-", false), ("+1-5", false), ("1-0", false)])
    func keysetCursors(text: String, valid: Bool) {
        #expect((KeysetCursor(text) != nil) == valid)
    }

    @Test("Malformed cursors and limits answer 422 on list routes")
    func listParameters() async throws {
        try await TestApp.run { _, api in
            let alice = try await api.register("alice")
            for query in ["cursor=-1-5", "cursor=%2B5", "cursor=1e308", "limit=0", "limit=-1", "limit=9223372036854775808", "limit=NaN"] {
                let answer = try await api.get("/api/v1/accounts/\(alice.account.id)/followers?\(query)", token: alice.accessToken)
                #expect(answer.status == 422, "\(query)")
            }
        }
    }
}
