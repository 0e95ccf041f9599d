/**
 * The beans of the Redis block store integration: its properties, the holder of the template's store,
 * the health indicator and the metrics of the Redis server that holds the blocks.
 */
@NullMarked
package io.fastshare.spring.boot.redis;

import org.jspecify.annotations.NullMarked;
