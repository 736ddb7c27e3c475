/// The Takes feed answers twenty Takes a page, each with its post: written by hand like posts.
extension Take: JSONWritable {
    public func writeJSON(to writer: inout JSONByteWriter) {
        writer.beginObject()
        writer.key("allow_duet"); writer.bool(allowDuet)
        writer.key("allow_remix"); writer.bool(allowRemix)
        writer.key("cover_at_ms"); writer.int(coverAtMs)
        writer.key("created_at"); writer.timestamp(createdAt)
        writer.key("duration_ms"); writer.int(durationMs)
        writer.key("has_behind_the_take"); writer.bool(hasBehindTheTake)
        writer.key("height"); writer.int(height)
        writer.key("id"); writer.identifier(id)
        writer.key("orientation"); writer.rawValue(orientation)
        writer.key("post"); post.writeJSON(to: &writer)
        if let sound { writer.key("sound"); sound.writeJSON(to: &writer) }
        if let soundStartMs { writer.key("sound_start_ms"); writer.int(soundStartMs) }
        if let template { writer.key("template"); template.writeJSON(to: &writer) }
        writer.key("trends"); writer.array(trends)
        writer.key("view_count"); writer.int(viewCount)
        writer.key("width"); writer.int(width)
        writer.endObject()
    }
}

extension TakeSound: JSONWritable {
    public func writeJSON(to writer: inout JSONByteWriter) {
        writer.beginObject()
        if let creator { writer.key("creator"); creator.writeJSON(to: &writer) }
        writer.key("duration_ms"); writer.int(durationMs)
        writer.key("id"); writer.identifier(id)
        if let media { writer.key("media"); media.writeJSON(to: &writer) }
        writer.key("title"); writer.string(title)
        writer.key("use_count"); writer.int(useCount)
        writer.endObject()
    }
}

extension TrendCredit: JSONWritable {
    public func writeJSON(to writer: inout JSONByteWriter) {
        writer.beginObject()
        writer.key("is_origin"); writer.bool(isOrigin)
        writer.key("key"); writer.string(key)
        writer.key("kind"); writer.rawValue(kind)
        if let originTakeId { writer.key("origin_take_id"); writer.identifier(originTakeId) }
        if let originator { writer.key("originator"); originator.writeJSON(to: &writer) }
        writer.key("trend_id"); writer.identifier(trendId)
        writer.endObject()
    }
}

extension TemplateCredit: JSONWritable {
    public func writeJSON(to writer: inout JSONByteWriter) {
        writer.beginObject()
        if let creator { writer.key("creator"); creator.writeJSON(to: &writer) }
        writer.key("name"); writer.string(name)
        writer.key("template_id"); writer.identifier(templateId)
        writer.endObject()
    }
}

extension TakeFeedItem: JSONWritable {
    public func writeJSON(to writer: inout JSONByteWriter) {
        writer.beginObject()
        writer.key("affinity"); writer.double(affinity)
        writer.key("boost"); writer.double(boost)
        writer.key("completion"); writer.double(completion)
        writer.key("rewatch"); writer.double(rewatch)
        writer.key("score"); writer.double(score)
        writer.key("take"); take.writeJSON(to: &writer)
        writer.key("velocity"); writer.double(velocity)
        writer.endObject()
    }
}
