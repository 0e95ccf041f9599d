/**
 * Auto-configuration of the {@code fastshare} actuator endpoint.
 */
@NullMarked
package io.fastshare.spring.boot.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
