package io.dataops.lakehouse.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.files.OwnerOnly;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.landing.Landing;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.landing.ProgressListener;
import io.dataops.lakehouse.testing.Tables;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.iceberg.SerializableTable;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.PositionOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local warehouse's FileIO: a real landing into a real catalog, and the file operations maintenance uses. */
class LocalFileIOTest {
  @TempDir Path dir;

  @Test
  void aLocalWarehouseLandsAndReadsThroughIt() throws Exception {
    Path csv = dir.resolve("feed.csv");
    Files.writeString(csv, "id,name\n1,ann\n2,bob\n", StandardCharsets.UTF_8);
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseConfig.embedded(dir.resolve("home")))) {
      new Landing(lakehouse, 1, ProgressListener.NONE).land(new LandingRequest("dept", "data", csv,
          ContractParser.parse("columns:\n  - {name: id, type: long}\n  - {name: name, type: string}\n", "c.yaml"),
          null));
      TableIdentifier id = TableNames.ods("dept", "data");
      Table table = lakehouse.load(id);
      assertThat(table.io()).isInstanceOf(LocalFileIO.class);
      assertThat(lakehouse.io()).isInstanceOf(LocalFileIO.class);
      assertThat(Tables.rows(table)).extracting(r -> r.getField("name")).containsExactlyInAnyOrder("ann", "bob");

      // Flink ships tables (their FileIO included) to TaskManagers by Java serialization.
      Table shipped = roundTrip(SerializableTable.copyOf(table));
      assertThat(shipped.io()).isInstanceOf(LocalFileIO.class);
      try (CloseableIterable<Record> rows = IcebergGenerics.read(shipped).build()) {
        assertThat(rows).extracting(r -> r.getField("id")).containsExactlyInAnyOrder(1L, 2L);
      }

      // Everything in the warehouse is owner-only, whatever the test JVM's umask.
      List<String> exposed = new ArrayList<>();
      try (Stream<Path> all = Files.walk(dir.resolve("home/warehouse"))) {
        all.forEach(p -> {
          try {
            if (!Files.getPosixFilePermissions(p).equals(Files.isDirectory(p) ? OwnerOnly.FOLDER : OwnerOnly.FILE)) {
              exposed.add(p.toString());
            }
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
      }
      assertThat(exposed).isEmpty();
    }
  }

  @Test
  void filesUnderEitherSpelling() throws Exception {
    LocalFileIO io = new LocalFileIO();
    Path root = dir.resolve("t");
    String uri = "file://" + root + "/data/a.parquet";
    try (PositionOutputStream out = io.newOutputFile(uri).create()) {
      out.write("12345".getBytes(StandardCharsets.UTF_8));
      assertThat(out.getPos()).isEqualTo(5);
    }
    assertThat(Files.getPosixFilePermissions(root.resolve("data"))).isEqualTo(OwnerOnly.FOLDER);
    assertThat(Files.getPosixFilePermissions(root.resolve("data/a.parquet"))).isEqualTo(OwnerOnly.FILE);
    assertThatThrownBy(() -> io.newOutputFile(root + "/data/a.parquet").create())
        .isInstanceOf(AlreadyExistsException.class);
    try (OutputStream out = io.newOutputFile("file:" + root + "/data/a.parquet").createOrOverwrite()) {
      out.write("123".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(io.newInputFile(root + "/data/a.parquet").getLength()).isEqualTo(3);
    assertThat(io.newInputFile(uri).location()).isEqualTo(uri);
    io.newOutputFile(root + "/metadata/v1.metadata.json").create().close();

    assertThat(io.listPrefix("file:" + root + "/")).extracting(FileInfo::location).containsExactlyInAnyOrder(
        "file:" + root + "/data/a.parquet", "file:" + root + "/metadata/v1.metadata.json");
    assertThat(io.listPrefix(root + "/data")).extracting(FileInfo::size).containsExactly(3L);
    assertThat(io.listPrefix(root + "/missing/")).isEmpty();

    io.deleteFiles(List.of(uri, uri));
    assertThat(io.newInputFile(uri).exists()).isFalse();
    assertThatThrownBy(() -> io.newInputFile(uri).getLength()).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> io.newInputFile(uri).newStream()).isInstanceOf(NotFoundException.class);
    io.deletePrefix("file://" + root);
    assertThat(root).doesNotExist();
    assertThatThrownBy(() -> io.newInputFile("file://host/x")).isInstanceOf(IllegalArgumentException.class);
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }

  /**
   * Found by a probe: a production home's shell without DATAOPS_WAREHOUSE read the catalog's s3:// locations with the
   * local FileIO: an internal error in every command, and `audit verify` reported the checkpoints tampered with.
   */
  @Test
  void anObjectStoreLocationIsRefusedAsAWarehouseSettingToMend() {
    assertThatThrownBy(() -> new LocalFileIO().newInputFile("s3://warehouse/iceberg/audit/checkpoints/metadata/"
        + "00001-a.metadata.json").getLength()).isInstanceOf(io.dataops.core.BadInputException.class)
        .hasMessage("the catalog's tables are in object storage (s3://...), but this command's warehouse is a local "
            + "folder: set warehouse (DATAOPS_WAREHOUSE) and the object store's settings as the platform's other "
            + "commands have them");
    assertThatThrownBy(() -> LocalFileIO.path("relative/x.parquet")).isInstanceOf(IllegalArgumentException.class);
  }
}
