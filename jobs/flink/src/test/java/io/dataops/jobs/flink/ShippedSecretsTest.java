package io.dataops.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.files.OwnerOnly;
import io.dataops.core.testing.ChildJvm;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.secrets.ShippedSecrets;
import io.dataops.lakehouse.testing.S3Server;
import io.dataops.lakehouse.testing.TestStorage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SerializableTable;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a Flink job ships (its catalog loader, a table with its FileIO, as Flink serializes them) holds neither the
 * catalog password nor the S3 secret key. Opened again in this process, they use the secrets it holds; in another
 * process (a TaskManager), the secrets of that process's environment, and without them they say which to set.
 */
class ShippedSecretsTest {
  static final TableIdentifier ID = TableIdentifier.of("ods", "shipped");

  @TempDir Path dir;

  /** A lakehouse in a bucket whose catalog is opened with a password (SQLite and the test PostgreSQL ignore it). */
  private static LakehouseConfig withPassword(LakehouseConfig s3) {
    return new LakehouseConfig(s3.catalogUri(), s3.catalogUser(), "catalog-password-" + UUID.randomUUID(),
        s3.warehouse(), s3.extra());
  }

  @Test
  void aShippedLoaderAndTableCarryNoSecretAndFindItWhereTheyAreOpened() throws Exception {
    LakehouseConfig config = withPassword(TestStorage.onS3(dir.resolve("home")));
    String password = config.catalogPassword();
    byte[] loader;
    byte[] table;
    try (Lakehouse lakehouse = Lakehouse.open(config)) {
      Table created = lakehouse.catalog().createTable(ID, new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get())));
      loader = serialize(new LakehouseCatalogLoader(config));
      table = serialize(SerializableTable.copyOf(created));
    }
    for (byte[] shipped : List.of(loader, table)) {
      assertThat(contains(shipped, password)).as("the catalog password in what is shipped").isFalse();
      assertThat(contains(shipped, S3Server.SECRET_KEY)).as("the S3 secret in what is shipped").isFalse();
    }
    assertThat(contains(table, S3Server.ACCESS_KEY)).as("the key id is shipped (not a secret)").isTrue();

    // In this process (the in-process mini-cluster): the secrets it was configured with.
    assertThat(ShippedSecretsChild.open(deserialize(loader), deserialize(table))).isEqualTo("opened");

    // Another process with the secrets in its environment, as a TaskManager is given them.
    Path loaderFile = Files.write(dir.resolve("loader.bin"), loader);
    Path tableFile = Files.write(dir.resolve("table.bin"), table);
    String with = child(loaderFile, tableFile, Map.of(ShippedSecrets.CATALOG_PASSWORD, password,
        ShippedSecrets.S3_SECRET, S3Server.SECRET_KEY));
    assertThat(with).contains("loader: opened", "table: opened");

    // Without them: each says what to set, and shows no secret.
    String without = child(loaderFile, tableFile, Map.of());
    assertThat(without).contains("loader: the catalog password is not configured on this host",
        "set DATAOPS_CATALOG_PASSWORD or DATAOPS_CATALOG_PASSWORD_FILE");
    assertThat(without).contains("table: the S3 secret access key is not configured on this host",
        "set AWS_SECRET_ACCESS_KEY or DATAOPS_S3_SECRET_FILE");
    assertThat(without).doesNotContain(password, S3Server.SECRET_KEY);

    // From the file the platform's setting names.
    Path secretFile = OwnerOnly.writeString(dir.resolve("s3-secret"), S3Server.SECRET_KEY + "\n");
    Path passwordFile = OwnerOnly.writeString(dir.resolve("catalog-password"), password + "\n");
    String fromFiles = child(loaderFile, tableFile, Map.of("DATAOPS_S3_SECRET_FILE", secretFile.toString(),
        "DATAOPS_CATALOG_PASSWORD_FILE", passwordFile.toString()));
    assertThat(fromFiles).contains("loader: opened", "table: opened");

    // A file others may read is refused on that host too, as the platform refuses it, and its secret is not shown.
    java.nio.file.Files.setPosixFilePermissions(secretFile, java.nio.file.attribute.PosixFilePermissions.fromString(
        "rw-r--r--"));
    String readable = child(loaderFile, tableFile, Map.of("DATAOPS_S3_SECRET_FILE", secretFile.toString(),
        "DATAOPS_CATALOG_PASSWORD_FILE", passwordFile.toString()));
    String refused = "the S3 secret access key is in a file others may read or change (DATAOPS_S3_SECRET_FILE, mode "
        + "rw-r--r--)";
    assertThat(readable).contains("loader: " + refused, "table: " + refused).doesNotContain(S3Server.SECRET_KEY);
  }

  /**
   * The job as Flink submits it (the stream graph of a batch job, which the JobManager turns into its job graph), built
   * from a pinned read and the product writer over a table in a bucket, holds the FileIO settings but no secret.
   */
  @Test
  void aJobAsSubmittedHoldsNoSecret() throws Exception {
    LakehouseConfig config = withPassword(TestStorage.onS3(dir.resolve("home")));
    String password = config.catalogPassword();
    try (Lakehouse lakehouse = Lakehouse.open(config)) {
      Table table = lakehouse.catalog().createTable(ID, new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get())));
      table.newAppend().commit(); // a snapshot to pin
      table.refresh();
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.setRuntimeMode(RuntimeExecutionMode.BATCH);
      DataStream<RowData> rows = IcebergInput.read(env, lakehouse,
          new PinnedRead(ID.toString(), table.currentSnapshot().snapshotId(), List.of("id")));
      UncommittedWriter.write(rows, table, table.schema());
      StreamGraph graph = env.getStreamGraph();
      graph.serializeUserDefinedInstances();
      byte[] submitted = InstantiationUtil.serializeObject(graph);
      byte[] jobGraph = InstantiationUtil.serializeObject(graph.getJobGraph());
      for (byte[] shipped : List.of(submitted, jobGraph)) {
        assertThat(contains(shipped, S3Server.ACCESS_KEY)).as("the FileIO settings are in the job").isTrue();
        assertThat(contains(shipped, password)).as("the catalog password in the job").isFalse();
        assertThat(contains(shipped, S3Server.SECRET_KEY)).as("the S3 secret in the job").isFalse();
      }
    }
  }

  private String child(Path loader, Path table, Map<String, String> env) throws Exception {
    ProcessBuilder b = new ProcessBuilder(ChildJvm.command(ShippedSecretsChild.class, List.of(),
        List.of(loader.toString(), table.toString()))).redirectErrorStream(true);
    for (String inherited : List.of(ShippedSecrets.CATALOG_PASSWORD, "DATAOPS_CATALOG_PASSWORD_FILE",
        ShippedSecrets.S3_SECRET, "DATAOPS_S3_SECRET_FILE", "AWS_ACCESS_KEY_ID")) {
      b.environment().remove(inherited);
    }
    b.environment().putAll(env);
    Process p = b.start();
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    return text;
  }

  static byte[] serialize(Object o) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  @SuppressWarnings("unchecked")
  static <T> T deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return (T) in.readObject();
    }
  }

  private static boolean contains(byte[] haystack, String text) {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** A process that opens what was shipped to it, as a TaskManager does. */
  static final class ShippedSecretsChild {
    public static void main(String[] args) throws Exception {
      byte[] loader = Files.readAllBytes(Path.of(args[0]));
      byte[] table = Files.readAllBytes(Path.of(args[1]));
      System.out.println("loader: " + attempt(() -> {
        LakehouseCatalogLoader l = deserialize(loader);
        Catalog catalog = l.loadCatalog();
        try {
          return catalog.tableExists(ID) ? "opened" : "no table";
        } finally {
          ((AutoCloseable) catalog).close();
        }
      }));
      System.out.println("table: " + attempt(() -> writeAndRead(deserialize(table))));
    }

    static String open(LakehouseCatalogLoader loader, Table table) throws Exception {
      Catalog catalog = loader.loadCatalog();
      try {
        if (!catalog.tableExists(ID)) {
          return "no table";
        }
      } finally {
        ((AutoCloseable) catalog).close();
      }
      return writeAndRead(table);
    }

    /** An object written and read back through the table's own FileIO: the store took the shipped key. */
    private static String writeAndRead(Table table) throws IOException {
      String location = table.location() + "/probe-" + UUID.randomUUID();
      try (OutputStream out = table.io().newOutputFile(location).createOrOverwrite()) {
        out.write("probe".getBytes(StandardCharsets.UTF_8));
      }
      try (InputStream in = table.io().newInputFile(location).newStream()) {
        String back = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        table.io().deleteFile(location);
        return back.equals("probe") ? "opened" : "read back " + back.length() + " bytes";
      }
    }

    private static String attempt(java.util.concurrent.Callable<String> step) {
      try {
        return step.call();
      } catch (Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
          root = root.getCause();
        }
        return root.getMessage();
      }
    }
  }
}
