/**
 * The block format: header, layout, buffer descriptors, checksums and block names, independent of where a
 * block lives.
 */
@NullMarked
package io.fastshare.format;

import org.jspecify.annotations.NullMarked;
