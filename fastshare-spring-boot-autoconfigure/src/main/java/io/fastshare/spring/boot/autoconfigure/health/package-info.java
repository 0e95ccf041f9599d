/**
 * Auto-configuration of the fastshare health indicator.
 */
@NullMarked
package io.fastshare.spring.boot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
