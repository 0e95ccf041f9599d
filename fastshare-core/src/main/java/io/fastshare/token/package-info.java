/**
 * Tokens: the strings that name a shared-memory block or carry a payload inline.
 */
@NullMarked
package io.fastshare.token;

import org.jspecify.annotations.NullMarked;
