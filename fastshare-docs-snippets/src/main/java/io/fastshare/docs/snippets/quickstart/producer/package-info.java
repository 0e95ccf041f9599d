/**
 * The README Quick start's producer: a Spring Boot service that writes a payload and posts its token.
 */
@NullMarked
package io.fastshare.docs.snippets.quickstart.producer;

import org.jspecify.annotations.NullMarked;
