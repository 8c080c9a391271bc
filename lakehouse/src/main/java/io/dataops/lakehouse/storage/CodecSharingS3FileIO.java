package io.dataops.lakehouse.storage;

import io.dataops.lakehouse.parquet.ParquetCodecs;
import io.dataops.lakehouse.secrets.ShippedSecrets;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;

/**
 * Iceberg's S3FileIO as the warehouse's FileIO: the same objects, requests and settings, except that the first Parquet
 * file it opens shares the zstd codecs first ({@link ParquetCodecs}), as {@link LocalFileIO} does for a local warehouse,
 * and uploads are staged in an owner-only folder ({@link StagingFolder}) unless {@code s3.staging-dir} names another.
 *
 * <p>Serialized (a Flink job ships its tables' FileIO) as its settings without the secret key, which the receiving
 * process finds again ({@link ShippedSecrets}), and without the default staging folder, which is the receiving host's.
 */
public class CodecSharingS3FileIO extends S3FileIO {
  private static final long serialVersionUID = 1L;

  private static final String SECRET = "s3.secret-access-key";
  private static final String KEY_ID = "s3.access-key-id";
  /** The settings as given, for {@link #writeReplace}. */
  private Map<String, String> given;

  @Override
  public void initialize(Map<String, String> properties) {
    given = java.util.Collections.unmodifiableMap(new HashMap<>(ShippedSecrets.withoutCatalogPassword(properties)));
    ShippedSecrets.holdS3Secret(properties.get(KEY_ID), properties.get(SECRET));
    Map<String, String> p = new HashMap<>(given);
    p.putIfAbsent(StagingFolder.PROPERTY, StagingFolder.defaultPath());
    super.initialize(p);
  }

  @Override
  public InputFile newInputFile(String path) {
    ParquetCodecs.beforeOpening(path);
    return super.newInputFile(path);
  }

  @Override
  public InputFile newInputFile(String path, long length) {
    ParquetCodecs.beforeOpening(path);
    return super.newInputFile(path, length);
  }

  @Override
  public OutputFile newOutputFile(String path) {
    ParquetCodecs.beforeOpening(path);
    StagingFolder.ensure(properties().get(StagingFolder.PROPERTY)); // here: on the host that writes
    return super.newOutputFile(path);
  }

  private Object writeReplace() {
    Map<String, String> shipped = new HashMap<>(given == null ? Map.of() : given);
    boolean secret = shipped.remove(SECRET) != null;
    return new Shipped(shipped, secret);
  }

  /** What is serialized: the settings less the secret, and whether there was one. */
  private record Shipped(Map<String, String> properties, boolean secret) implements Serializable {
    private static final long serialVersionUID = 1L;

    private Object readResolve() {
      Map<String, String> p = new HashMap<>(properties);
      if (secret) {
        p.put(SECRET, ShippedSecrets.s3Secret(p.get(KEY_ID)));
      }
      // Nothing closes a shipped table's FileIO (its clients go when it is collected): no warning with a stack each.
      p.put("init-creation-stacktrace", "false");
      CodecSharingS3FileIO io = new CodecSharingS3FileIO();
      io.initialize(p);
      return io;
    }
  }
}
