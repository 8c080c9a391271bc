package io.dataops.lakehouse.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.lakehouse.testing.S3Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.io.FileIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Documents (outboxes, certificates) in a home folder and in a bucket of S3Proxy over HTTP: written whole or not at
 * all, owner-only locally, names kept inside their root.
 */
class DocumentsTest {
  @TempDir Path dir;

  private static void failing(java.io.OutputStream out) throws IOException {
    out.write("half a report".getBytes(StandardCharsets.UTF_8));
    throw new IOException("the writer died");
  }

  @Test
  void inAFolderOfTheHome() throws Exception {
    Documents outbox = Documents.local(dir.resolve("outbox")).resolve("bureau", "billing");
    String location = outbox.writeString("statement.csv", "kind,total\r\n");
    assertThat(Path.of(location)).hasContent("kind,total").isEqualTo(dir.resolve("outbox/bureau/billing/statement.csv"));
    assertThat(Files.getPosixFilePermissions(Path.of(location))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(dir.resolve("outbox/bureau"))).isEqualTo(
        PosixFilePermissions.fromString("rwx------"));
    assertThatThrownBy(() -> outbox.write("broken.csv", DocumentsTest::failing)).hasMessage("the writer died");
    try (var files = Files.list(dir.resolve("outbox/bureau/billing"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("statement.csv");
    }
    assertThatThrownBy(() -> outbox.location("../../secrets/keys.properties"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void inABucket() throws Exception {
    String bucket = S3Server.newBucket("documents");
    FileIO io = CatalogUtil.loadFileIO(ObjectStore.S3FILEIO, S3Server.store().fileIoProperties(), null);
    Documents certificates = Documents.inBucket("s3://" + bucket + "/certificates", io);
    String location = certificates.writeString("p-v1-destruction.json", "{}");
    assertThat(location).isEqualTo("s3://" + bucket + "/certificates/p-v1-destruction.json");
    assertThat(new String(io.newInputFile(location).newStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("{}");
    assertThatThrownBy(() -> certificates.write("broken.json", DocumentsTest::failing))
        .hasMessage("the writer died");
    assertThat(S3Server.keys(bucket, "")).containsExactly("certificates/p-v1-destruction.json");
    io.close();
  }
}
