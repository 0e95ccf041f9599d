/**
 * The HTTP peer of the benchmarks: a Spring Boot application that receives payloads over HTTP.
 */
@NullMarked
package io.fastshare.bench.http;

import org.jspecify.annotations.NullMarked;
