/**
 * fastshare's API: {@link io.fastshare.SharedMemoryTemplate} writes payloads to shared-memory blocks (or inline)
 * and hands them over by token; the exceptions of the library's hierarchy, rooted at
 * {@link io.fastshare.FastShareException}.
 */
@NullMarked
package io.fastshare;

import org.jspecify.annotations.NullMarked;
