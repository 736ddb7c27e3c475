"""Lets schemathesis send tus chunks: the body of PATCH /api/v1/uploads/{id} is raw bytes."""
import schemathesis


@schemathesis.serializer("application/offset+octet-stream")
def offset_octet_stream(ctx, value):
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    return str(value).encode()
