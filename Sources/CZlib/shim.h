#include <zlib.h>

/* inflateInit/deflateInit are macros; Swift cannot call them. */
static inline int edgewatch_inflate_init(z_stream *stream) { return inflateInit(stream); }
static inline int edgewatch_deflate_init(z_stream *stream, int level) { return deflateInit(stream, level); }
