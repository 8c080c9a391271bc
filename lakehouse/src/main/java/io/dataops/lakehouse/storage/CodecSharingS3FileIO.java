package io.dataops.lakehouse.storage;

import io.dataops.lakehouse.parquet.ParquetCodecs;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;

/**
 * Iceberg's S3FileIO as the warehouse's FileIO: the same objects, requests and settings, except that the first Parquet
 * file it opens shares the zstd codecs first ({@link ParquetCodecs}), as {@link LocalFileIO} does for a local warehouse,
 * and uploads are staged in an owner-only folder ({@link StagingFolder}) unless {@code s3.staging-dir} names another.
 */
public class CodecSharingS3FileIO extends S3FileIO {
  private static final long serialVersionUID = 1L;

  @Override
  public void initialize(Map<String, String> properties) {
    Map<String, String> p = new HashMap<>(properties);
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
}
