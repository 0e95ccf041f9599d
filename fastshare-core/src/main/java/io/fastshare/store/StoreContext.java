package io.fastshare.store;

import io.fastshare.format.OwnerId;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * What a template shares with the stores it creates.
 *
 * @param directory the template's block directory; its {@code .owners/} lease proves the owner alive
 * @param owner the template's owner id, held by a lease for the template's lifetime, recorded in its blocks
 * @param clock creation and expiry times
 * @param random a cryptographically strong source for keys
 */
public record StoreContext(BlockDirectory directory, OwnerId owner, Clock clock, SecureRandom random) {
}
