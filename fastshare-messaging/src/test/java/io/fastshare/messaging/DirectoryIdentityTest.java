package io.fastshare.messaging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Encoding, parsing and comparing block directory identities. */
class DirectoryIdentityTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsThroughItsHeaderForm() {
        DirectoryIdentity identity = DirectoryIdentity.of(dir);

        assertThat(identity.inode()).isPositive();
        assertThat(DirectoryIdentity.parse(identity.encode())).isEqualTo(identity);
        assertThat(identity.mismatch(identity)).isNull();
    }

    @Test
    void theSameDirectoryThroughAnotherPathMatches() {
        DirectoryIdentity identity = DirectoryIdentity.of(dir);
        DirectoryIdentity viaOtherPath = new DirectoryIdentity(identity.bootId(), identity.device(), identity.inode(),
                "/mnt/elsewhere");

        assertThat(identity.mismatch(viaOtherPath)).isNull();
    }

    @Test
    void rejectsHeadersOfAnotherForm() {
        assertThat(DirectoryIdentity.parse("garbage")).isNull();
        assertThat(DirectoryIdentity.parse("boot=x;dev=y;ino=1;path=/p")).isNull();
    }
}
