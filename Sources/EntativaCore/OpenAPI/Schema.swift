/// Builders for the JSON Schema (2020-12, as OpenAPI 3.1 uses it) of request and response bodies.
public enum Schema {
    public static func string(
        minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil, format: String? = nil,
        values: [String]? = nil, description: String? = nil
    ) -> JSONValue {
        var schema: JSONValue = ["type": "string"]
        if let minLength { schema.set("minLength", .int(minLength)) }
        if let maxLength { schema.set("maxLength", .int(maxLength)) }
        if let pattern { schema.set("pattern", .string(pattern)) }
        if let format { schema.set("format", .string(format)) }
        if let values { schema.set("enum", .array(values.map(JSONValue.string))) }
        if let description { schema.set("description", .string(description)) }
        return schema
    }

    /// A 64-bit ID, a decimal string on the wire.
    public static let id: JSONValue = string(pattern: "^[1-9][0-9]{0,18}$", description: "64-bit identifier as a decimal string")
    public static let timestamp: JSONValue = string(format: "date-time")
    public static let boolean: JSONValue = ["type": "boolean"]

    public static func integer(minimum: Int? = nil, maximum: Int? = nil) -> JSONValue {
        var schema: JSONValue = ["type": "integer"]
        if let minimum { schema.set("minimum", .int(minimum)) }
        if let maximum { schema.set("maximum", .int(maximum)) }
        return schema
    }

    public static func number(minimum: Double? = nil, maximum: Double? = nil) -> JSONValue {
        var schema: JSONValue = ["type": "number"]
        if let minimum { schema.set("minimum", .double(minimum)) }
        if let maximum { schema.set("maximum", .double(maximum)) }
        return schema
    }

    public static func array(_ items: JSONValue, minItems: Int? = nil, maxItems: Int? = nil) -> JSONValue {
        var schema: JSONValue = ["type": "array", "items": items]
        if let minItems { schema.set("minItems", .int(minItems)) }
        if let maxItems { schema.set("maxItems", .int(maxItems)) }
        return schema
    }

    public static func object(_ properties: KeyValuePairs<String, JSONValue>, required: [String] = []) -> JSONValue {
        var schema: JSONValue = ["type": "object", "properties": .object(properties.map { ($0.key, $0.value) })]
        if !required.isEmpty { schema.set("required", .array(required.map(JSONValue.string))) }
        return schema
    }

    public static func map(of values: JSONValue) -> JSONValue {
        ["type": "object", "additionalProperties": values]
    }

    public static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

    public static func nullable(_ schema: JSONValue) -> JSONValue { ["anyOf": [schema, ["type": "null"]]] }

    /// The list envelope every paginated route answers.
    public static func page(of item: String) -> JSONValue {
        object(["items": array(ref(item)), "next_cursor": nullable(string())], required: ["items", "next_cursor"])
    }

    public static func oneOf(_ schemas: [JSONValue]) -> JSONValue { ["oneOf": .array(schemas)] }
}
