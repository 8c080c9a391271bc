package io.dataops.pipelines.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.core.files.OwnerOnly;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.inmemory.InMemoryFileIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LocalFiles#privateCopies}: objects copied into a private folder that closing removes; local files in place. */
class LocalFilesTest {
  @TempDir Path dir;
  /** Its objects live in one store shared by every instance: each test names its own. */
  private final InMemoryFileIO io = new InMemoryFileIO();

  private void object(String location, String content) throws IOException {
    try (OutputStream out = io.newOutputFile(location).createOrOverwrite()) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void localFilesAreReadInPlaceAndNoFolderIsMade() throws IOException {
    Path folder = dir.resolve("copies");
    try (LocalFiles.PrivateCopies copies = LocalFiles.of(io).privateCopies(List.of("/data/a.parquet",
        "file:/data/b.parquet", "file:///data/c.parquet"), folder, "the test")) {
      assertThat(copies.paths()).containsExactly("/data/a.parquet", "/data/b.parquet", "/data/c.parquet");
      assertThat(copies.folder()).isNull();
    }
    assertThat(folder).doesNotExist();
  }

  @Test
  void objectsAreCopiedOwnerOnlyInOrderAndClosingDeletesThem() throws IOException {
    object("s3://bucket/t/data/1.parquet", "first");
    object("s3://bucket/t/data/2.parquet", "second");
    Path folder = dir.resolve("run").resolve("copies");
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("0.parquet"), "a killed process's copy");
    Files.writeString(folder.resolve("stale.parquet"), "another");
    List<String> paths;
    try (LocalFiles.PrivateCopies copies = LocalFiles.of(io).privateCopies(List.of("s3://bucket/t/data/1.parquet",
        "/local/x.parquet", "s3://bucket/t/data/2.parquet"), folder, "the test")) {
      paths = copies.paths();
      assertThat(paths).hasSize(3);
      assertThat(paths.get(1)).isEqualTo("/local/x.parquet");
      assertThat(Files.readString(Path.of(paths.get(0)))).isEqualTo("first");
      assertThat(Files.readString(Path.of(paths.get(2)))).isEqualTo("second");
      try (var inFolder = Files.list(folder)) {
        assertThat(inFolder).as("what a killed process left is gone").containsExactlyInAnyOrder(
            Path.of(paths.get(0)), Path.of(paths.get(2)));
      }
      assertThat(Files.getPosixFilePermissions(folder)).isEqualTo(OwnerOnly.FOLDER);
      assertThat(Files.getPosixFilePermissions(Path.of(paths.get(0)))).isEqualTo(OwnerOnly.FILE);
    }
    assertThat(folder).doesNotExist();
    assertThat(Path.of(paths.get(0))).doesNotExist();
  }

  @Test
  void aFailedCopyLeavesNothingBehind() throws IOException {
    object("s3://bucket/t/data/1.parquet", "first");
    Path folder = dir.resolve("copies");
    assertThatThrownBy(() -> LocalFiles.of(io).privateCopies(List.of("s3://bucket/t/data/1.parquet",
        "s3://bucket/t/data/missing-" + System.nanoTime() + ".parquet"), folder, "the test")).isInstanceOf(RuntimeException.class);
    assertThat(folder).doesNotExist();
  }

  @Test
  void aLocationOfNoKnownKindIsRefusedNamingTheReader() {
    assertThatThrownBy(() -> LocalFiles.of(io).privateCopies(List.of("hdfs://nn/x.parquet"), dir.resolve("c"),
        "the leak check")).isInstanceOf(BadInputException.class)
        .hasMessage("the leak check reads local files or s3:// objects; hdfs://nn/x.parquet is neither");
  }
}
