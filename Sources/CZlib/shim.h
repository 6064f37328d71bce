#include <zlib.h>

/* inflateInit/deflateInit are macros; Swift cannot call them. */
static inline int edgewatch_inflate_init(z_stream *stream) { return inflateInit(stream); }
static inline int edgewatch_deflate_init(z_stream *stream, int level) { return deflateInit(stream, level); }
/* gzip wrapper (RFC 1952): windowBits 15 + 16. */
static inline int edgewatch_deflate_init_gzip(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
static inline int edgewatch_inflate_init_gzip(z_stream *stream) { return inflateInit2(stream, 15 + 16); }
