import EntativaCore
import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// Streams a `multipart/form-data` body to disk: the part named `file` goes to a temporary
/// file as it arrives, other parts are kept as short strings. Nothing is held whole in memory,
/// and the parts beside the file are bounded in number and size: a body of thousands of little
/// fields would otherwise cost memory and parsing time for nothing.
struct MultipartUpload {
    static let maxFields = 8
    static let maxFieldBytes = 1024
    static let maxFieldsBytes = 8 * 1024

    var file: URL?
    var fields: [String: String] = [:]

    static func receive(_ request: Request, into target: URL, maxFileBytes: Int64) async throws -> MultipartUpload {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
            let boundary = boundary(in: type)
        else { throw AppError.unsupportedMediaType("Send the file as multipart/form-data with a part named `file`.") }
        let parser = MultipartParser(boundary: boundary)
        var headerGuard = MultipartHeaderGuard(boundary: boundary)
        let sink = Sink(target: target, maxFileBytes: maxFileBytes)
        parser.onHeader = { name, value in sink.header(name, value) }
        parser.onBody = { buffer in sink.body(&buffer) }
        parser.onPartComplete = { sink.partComplete() }
        do {
            for try await chunk in request.body {
                guard headerGuard.accepts(chunk) else { throw AppError.malformed("A part header name may hold only ASCII.") }
                try parser.execute(chunk)
                if let error = sink.error { throw error }
            }
        } catch let error as AppError {
            sink.discard()
            throw error
        } catch {
            sink.discard()
            throw AppError.malformed("The multipart body could not be read.")
        }
        sink.close()
        guard sink.sawFile else {
            sink.discard()
            throw AppError.invalid(field: "file", code: "required", message: "is required")
        }
        return MultipartUpload(file: target, fields: sink.fields)
    }

    static func boundary(in contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.isEmpty || value.count > 200 ? nil : value
            }
        }
        return nil
    }

    /// The parser's callbacks run synchronously on this task; the sink is never shared.
    final class Sink {
        let target: URL
        let maxFileBytes: Int64
        var handle: FileHandle?
        var partName: String?
        var fieldValue = Data()
        var fields: [String: String] = [:]
        var fieldCount = 0
        var fieldBytes = 0
        var written: Int64 = 0
        var sawFile = false
        var error: AppError?

        init(target: URL, maxFileBytes: Int64) {
            self.target = target
            self.maxFileBytes = maxFileBytes
        }

        func header(_ name: String, _ value: String) {
            guard name.lowercased() == "content-disposition" else { return }
            partName = Self.parameter("name", in: value)
            if partName != "file" {
                fieldCount += 1
                if fieldCount > MultipartUpload.maxFields, error == nil {
                    error = AppError.tooLarge("A form may carry at most \(MultipartUpload.maxFields) fields beside `file`.")
                }
            }
            if partName == "file", handle == nil, !sawFile {
                _ = FileManager.default.createFile(atPath: target.path, contents: nil)
                handle = try? FileHandle(forWritingTo: target)
                sawFile = true
            }
        }

        func body(_ buffer: inout ByteBuffer) {
            guard error == nil else { return }
            if partName == "file", let handle {
                written += Int64(buffer.readableBytes)
                guard written <= maxFileBytes else {
                    error = AppError.tooLarge("Files sent this way may be at most \(maxFileBytes >> 20) MB; use the tus endpoint /api/v1/uploads.")
                    return
                }
                handle.write(Data(buffer.readableBytesView))
            } else if partName != nil {
                fieldBytes += buffer.readableBytes
                guard fieldValue.count + buffer.readableBytes <= MultipartUpload.maxFieldBytes, fieldBytes <= MultipartUpload.maxFieldsBytes else {
                    error = AppError.tooLarge(
                        "A form field may be at most \(MultipartUpload.maxFieldBytes) bytes, and all of them \(MultipartUpload.maxFieldsBytes).")
                    return
                }
                fieldValue.append(contentsOf: buffer.readableBytesView)
            }
        }

        func partComplete() {
            if partName == "file" {
                try? handle?.close()
                handle = nil
            } else if let partName {
                fields[partName] = String(decoding: fieldValue, as: UTF8.self)
            }
            partName = nil
            fieldValue = Data()
        }

        func close() { try? handle?.close() }

        func discard() {
            close()
            try? FileManager.default.removeItem(at: target)
        }

        static func parameter(_ key: String, in header: String) -> String? {
            for part in header.split(separator: ";") {
                let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pair.count == 2, pair[0].lowercased() == key {
                    return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
            }
            return nil
        }
    }
}
