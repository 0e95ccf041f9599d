/**
 * The JSON codec (Jackson 3) with out-of-band buffers for large arrays, and the deserializers that enforce
 * the type allow-list.
 */
@NullMarked
package io.fastshare.codec.json;

import org.jspecify.annotations.NullMarked;
