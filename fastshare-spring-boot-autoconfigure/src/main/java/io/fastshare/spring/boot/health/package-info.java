/**
 * Health integration: whether fastshare can place blocks.
 */
@NullMarked
package io.fastshare.spring.boot.health;

import org.jspecify.annotations.NullMarked;
