package io.dataops.lakehouse.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.lakehouse.testing.S3Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  @Test
  void issuedDocumentsTakeTheirNamesOnlyAfterTheirRecordInAFolder() throws Exception {
    Documents outbox = Documents.local(dir.resolve("outbox")).resolve("bureau", "evaluation");
    Path folder = dir.resolve("outbox/bureau/evaluation");
    Map<String, byte[]> two = new LinkedHashMap<>();
    two.put("evaluation.json", "{}".getBytes(StandardCharsets.UTF_8));
    two.put("evaluation.html", "<p>".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> outbox.issue(two, recordedBy(() -> {
      throw new IllegalStateException("trail full");
    }))).hasMessage("trail full");
    try (var files = Files.list(folder)) {
      assertThat(files).as("neither document, nor a part of one").isEmpty();
    }
    List<String> seen = new ArrayList<>();
    List<String> issued = outbox.issue(two, recordedBy(() -> seen.addAll(names(folder))));
    assertThat(seen).as("when the record is made, both are written aside and neither under its name")
        .hasSize(2).noneMatch(n -> n.equals("evaluation.json") || n.equals("evaluation.html"));
    assertThat(issued).containsExactly(folder.resolve("evaluation.json").toString(),
        folder.resolve("evaluation.html").toString());
    assertThat(names(folder)).containsExactlyInAnyOrder("evaluation.json", "evaluation.html");
    assertThat(Path.of(issued.get(1))).hasContent("<p>");
    assertThat(Files.getPosixFilePermissions(Path.of(issued.get(0)))).isEqualTo(
        PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void issuedDocumentsAreUploadedOnlyAfterTheirRecordInABucket() throws Exception {
    String bucket = S3Server.newBucket("issued");
    try (FileIO io = CatalogUtil.loadFileIO(ObjectStore.S3FILEIO, S3Server.store().fileIoProperties(), null)) {
      Documents outbox = Documents.inBucket("s3://" + bucket + "/outbox", io);
      Map<String, byte[]> one = Map.of("statement.csv", "kind,total\r\n".getBytes(StandardCharsets.UTF_8));
      assertThatThrownBy(() -> outbox.issue(one, recordedBy(() -> {
        throw new IllegalStateException("trail full");
      }))).hasMessage("trail full");
      assertThat(S3Server.keys(bucket, "")).isEmpty();
      List<List<String>> seen = new ArrayList<>();
      assertThat(outbox.issue(one, recordedBy(() -> seen.add(S3Server.keys(bucket, "")))))
          .containsExactly("s3://" + bucket + "/outbox/statement.csv");
      assertThat(seen).containsExactly(List.of());
      assertThat(S3Server.keys(bucket, "")).containsExactly("outbox/statement.csv");
    }
  }

  /** What an {@link Documents.Issue} was told, in order. */
  private static final class Told implements Documents.Issue {
    final List<String> told = new ArrayList<>();
    private final Runnable atBegin;
    private final boolean issuedFails;

    Told(Runnable atBegin, boolean issuedFails) {
      this.atBegin = atBegin;
      this.issuedFails = issuedFails;
    }

    @Override
    public void begin() {
      told.add("begin");
      atBegin.run();
    }

    @Override
    public void issued() {
      told.add("issued");
      if (issuedFails) {
        throw new IllegalStateException("trail full");
      }
    }

    @Override
    public void failed(Exception why) {
      told.add("failed: " + why.getClass().getSimpleName());
    }
  }

  /**
   * A document whose move fails after its record began (a folder appeared at the second one's name) is told as failed
   * and none stays under its name; one whose end cannot be recorded is removed: their record counts what was issued.
   */
  @Test
  void issuedDocumentsAreToldWhetherTheyTookTheirNamesAndRemovedWhenTheirEndIsNotRecorded() throws Exception {
    Documents outbox = Documents.local(dir.resolve("outbox")).resolve("bureau", "evaluation");
    Path folder = dir.resolve("outbox/bureau/evaluation");
    Map<String, byte[]> two = new LinkedHashMap<>();
    two.put("evaluation.json", "{}".getBytes(StandardCharsets.UTF_8));
    two.put("evaluation.html", "<p>".getBytes(StandardCharsets.UTF_8));
    Told folderAppears = new Told(() -> {
      try {
        Files.createDirectories(folder.resolve("evaluation.html/inside"));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, false);
    assertThatThrownBy(() -> outbox.issue(two, folderAppears)).isInstanceOf(IOException.class);
    assertThat(folderAppears.told).containsExactly("begin", "failed: FileSystemException");
    assertThat(names(folder)).as("the first one moved is removed again, no part left")
        .containsExactly("evaluation.html");
    Files.delete(folder.resolve("evaluation.html/inside"));
    Files.delete(folder.resolve("evaluation.html"));

    Told unrecorded = new Told(() -> { }, true);
    assertThatThrownBy(() -> outbox.issue(two, unrecorded)).hasMessage("trail full");
    assertThat(unrecorded.told).containsExactly("begin", "issued");
    assertThat(names(folder)).isEmpty();

    Told recorded = new Told(() -> { }, false);
    assertThat(outbox.issue(two, recorded)).hasSize(2);
    assertThat(recorded.told).containsExactly("begin", "issued");
    assertThat(names(folder)).containsExactlyInAnyOrder("evaluation.json", "evaluation.html");
  }

  @Test
  void issuedObjectsWhoseEndIsNotRecordedAreRemovedFromTheBucket() throws Exception {
    String bucket = S3Server.newBucket("unrecorded");
    try (FileIO io = CatalogUtil.loadFileIO(ObjectStore.S3FILEIO, S3Server.store().fileIoProperties(), null)) {
      Documents outbox = Documents.inBucket("s3://" + bucket + "/outbox", io);
      Map<String, byte[]> one = Map.of("statement.csv", "kind,total\r\n".getBytes(StandardCharsets.UTF_8));
      Told unrecorded = new Told(() -> { }, true);
      assertThatThrownBy(() -> outbox.issue(one, unrecorded)).hasMessage("trail full");
      assertThat(unrecorded.told).containsExactly("begin", "issued");
      assertThat(S3Server.keys(bucket, "")).isEmpty();
    }
  }

  private static List<String> names(Path folder) {
    try (var files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** An issue recorded by {@code record} before the documents take their names, nothing after. */
  private static Documents.Issue recordedBy(Runnable record) {
    return new Documents.Issue() {
      @Override
      public void begin() {
        record.run();
      }

      @Override
      public void issued() {}

      @Override
      public void failed(Exception why) {}
    };
  }
}
