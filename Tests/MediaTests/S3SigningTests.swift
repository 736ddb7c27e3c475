import EntativaCore
import Foundation
import Media
import Testing

@Suite("SigV4 signing and S3 configuration")
struct S3SigningTests {
    static let signer = SigV4Signer(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1")
    static let may24 = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z

    @Test("The AWS documentation's GET object example signs to its published signature")
    func awsGetObjectExample() {
        // Given the request from the S3 SigV4 docs: the first 10 bytes of test.txt, empty-body hash
        // When it is signed
        let headers = Self.signer.sign(
            method: "GET", host: "examplebucket.s3.amazonaws.com", path: "/test.txt",
            headers: ["Range": "bytes=0-9"], payloadHash: SigV4Signer.emptyPayloadHash, date: Self.may24)

        // Then the Authorization header is the documented one, byte for byte
        #expect(
            headers["authorization"]
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(headers["x-amz-date"] == "20130524T000000Z")
        #expect(headers["x-amz-content-sha256"] == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(headers["host"] == "examplebucket.s3.amazonaws.com")
        #expect(headers["range"] == "bytes=0-9")
    }

    // The two vectors below were computed by botocore (the AWS Python SDK), a signer we did not write.
    @Test("A path-style listing with an encoded continuation token signs as botocore signs it")
    func listingMatchesBotocore() {
        let headers = Self.signer.sign(
            method: "GET", host: "127.0.0.1:9000", path: "/examplebucket",
            query: [("list-type", "2"), ("prefix", "media/1/"), ("max-keys", "2"), ("continuation-token", "1+Ab/c==")],
            payloadHash: SigV4Signer.emptyPayloadHash, date: Self.may24)
        #expect(headers["authorization"]?.hasSuffix(
            "SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=0d261138696da6115de302742c76f25ce6c299e4515b3a42ed782cd319734aa0") == true)
    }

    @Test("An unsigned-payload upload with a content type signs as botocore signs it")
    func unsignedUploadMatchesBotocore() {
        var signer = Self.signer
        signer.region = "eu-west-1"
        let headers = signer.sign(
            method: "PUT", host: "s3.eu-west-1.amazonaws.com", path: "/examplebucket/media/1/hls/720p/seg_001.ts",
            headers: ["Content-Type": "video/mp2t"], payloadHash: SigV4Signer.unsignedPayload, date: Self.may24)
        #expect(headers["authorization"]?.hasSuffix(
            "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,Signature=85f32762ac10c483c363e6f2f71abc8034ef0b144e42f6fd9355e579760204c4") == true)
        #expect(headers["x-amz-content-sha256"] == "UNSIGNED-PAYLOAD")
    }

    @Test("Query strings are sorted and every reserved byte is percent-encoded; paths keep their slashes")
    func encoding() {
        #expect(
            SigV4Signer.canonicalQuery([("prefix", "media/1/"), ("delete", ""), ("continuation-token", "a+b= ~")])
                == "continuation-token=a%2Bb%3D%20~&delete=&prefix=media%2F1%2F")
        #expect(SigV4Signer.canonicalURI("/bucket/media/1/a b+c.jpg") == "/bucket/media/1/a%20b%2Bc.jpg")
        #expect(SigV4Signer.canonicalURI("") == "/")
    }

    @Test("S3 settings come from the environment, with defaults that suit self-hosted stores and AWS")
    func configurationFromEnvironment() throws {
        func read(_ environment: [String: String]) throws -> S3Configuration? {
            try S3Configuration(reading: SettingsReader(environment))
        }
        let keys = ["S3_BUCKET": "media", "S3_ACCESS_KEY_ID": "id", "S3_SECRET_ACCESS_KEY": "secret"]

        // A custom endpoint defaults to path style in us-east-1
        let minio = try #require(try read(keys.merging(["S3_ENDPOINT": "http://127.0.0.1:9000"]) { $1 }))
        #expect(minio.endpoint.absoluteString == "http://127.0.0.1:9000")
        #expect(minio.forcePathStyle)
        #expect(minio.region == "us-east-1")
        #expect(minio.bucket == "media" && minio.accessKeyID == "id" && minio.secretAccessKey == "secret")

        // No endpoint means AWS in the given region, virtual-hosted style
        let aws = try #require(try read(keys.merging(["S3_REGION": "eu-west-1"]) { $1 }))
        #expect(aws.endpoint.absoluteString == "https://s3.eu-west-1.amazonaws.com")
        #expect(!aws.forcePathStyle)

        // An explicit choice wins
        let explicit = try read(keys.merging(["S3_ENDPOINT": "https://s3.example.net", "S3_FORCE_PATH_STYLE": "false"]) { $1 })
        #expect(explicit?.forcePathStyle == false)

        // None set (or all empty) means local disk
        #expect(try read([:]) == nil)
        #expect(try read(["S3_BUCKET": "", "S3_ENDPOINT": " "]) == nil)
    }

    @Test("A partial or malformed S3 configuration stops the server with a message naming the fix")
    func invalidConfigurationIsAnError() throws {
        let keys = ["S3_BUCKET": "media", "S3_ACCESS_KEY_ID": "id", "S3_SECRET_ACCESS_KEY": "secret"]
        func failure(_ environment: [String: String]) -> String? {
            do {
                _ = try MediaSettings(reading: SettingsReader(environment))
                return nil
            } catch let error as ConfigurationError {
                return error.message
            } catch {
                return "\(error)"
            }
        }

        let missing = try #require(failure(keys.filter { $0.key != "S3_SECRET_ACCESS_KEY" }))
        #expect(missing.contains("also set S3_SECRET_ACCESS_KEY"))
        let endpointOnly = try #require(failure(["S3_ENDPOINT": "http://127.0.0.1:9000"]))
        #expect(endpointOnly.contains("S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY"))
        let notURL = try #require(failure(keys.merging(["S3_ENDPOINT": "ftp://files"]) { $1 }))
        #expect(notURL.contains("S3_ENDPOINT=ftp://files"))
        #expect(failure(keys.merging(["S3_ENDPOINT": "http://"]) { $1 }) != nil)
        #expect(failure(keys.merging(["S3_FORCE_PATH_STYLE": "maybe"]) { $1 }) == "S3_FORCE_PATH_STYLE=maybe is not valid")
        #expect(failure(keys) == nil)
    }
}
