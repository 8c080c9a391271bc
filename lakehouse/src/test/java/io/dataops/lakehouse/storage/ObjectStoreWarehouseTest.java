package io.dataops.lakehouse.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.landing.Landing;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.landing.LandingResult;
import io.dataops.lakehouse.sample.GenerateRequest;
import io.dataops.lakehouse.sample.GenerateResult;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.sample.SampleGenerator;
import io.dataops.lakehouse.testing.S3Server;
import io.dataops.lakehouse.testing.Tables;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.PositionOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warehouse in a bucket: Iceberg's S3FileIO over real HTTP to S3Proxy, the catalog still embedded. */
class ObjectStoreWarehouseTest {
  @TempDir Path dir;

  @Test
  void aFeedLandsIntoABucketAndNoDataFileIsWrittenUnderTheHome() throws Exception {
    String bucket = S3Server.newBucket("warehouse");
    Path home = dir.resolve("home");
    GenerateResult g = SampleGenerator.generate(new GenerateRequest(SampleDataset.CITIZENS, 2_000,
        dir.resolve("feed/citizens.csv"), FeedFormat.CSV, StandardCharsets.UTF_8, 0.05, 5, 0, 2_000, 100, false));
    Path file = Path.of(g.file());
    try (Lakehouse lh = Lakehouse.open(S3Server.lakehouse(home, bucket))) {
      // Iceberg's S3FileIO, which shares the Parquet codecs before its first Parquet file
      assertThat(lh.io()).isInstanceOf(CodecSharingS3FileIO.class).isInstanceOf(org.apache.iceberg.aws.s3.S3FileIO.class);
      LandingRequest request = new LandingRequest("public-security", "citizens", file,
          ContractParser.parse(SampleGenerator.contractPathFor(file)), null);
      LandingResult r = new Landing(lh).land(request);
      assertThat(r.rowsRead()).isEqualTo(2_000);
      assertThat(r.rowsQuarantined()).isEqualTo(g.expectedQuarantined());
      Table ods = lh.load(TableNames.ods("public-security", "citizens"));
      assertThat(ods.location()).startsWith("s3://" + bucket + "/warehouse/ods/");
      assertThat(Tables.rows(ods)).hasSize((int) r.rowsLanded());
      // The same file again is recognized (its digest), also with the warehouse on S3.
      assertThat(new Landing(lh).land(request).duplicateOf()).isEqualTo(r.snapshotId());
    }
    List<String> keys = S3Server.keys(bucket, "warehouse/");
    assertThat(keys).anyMatch(k -> k.startsWith("warehouse/ods/public_security__citizens/data/") && k.endsWith(".parquet"));
    assertThat(keys).anyMatch(k -> k.startsWith("warehouse/quarantine/") && k.endsWith(".parquet"));
    assertThat(keys).anyMatch(k -> k.endsWith(".metadata.json"));
    try (Stream<Path> under = Files.walk(home)) {
      assertThat(under.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .allMatch(n -> n.startsWith("catalog.db"));
    }
  }

  @Test
  void uploadsAreStagedInAnOwnerOnlyFolderAndNothingStagedStaysBehind() throws Exception {
    String bucket = S3Server.newBucket("staging");
    byte[] raw = "440823199107132160".getBytes(StandardCharsets.UTF_8);
    try (Lakehouse lh = Lakehouse.open(S3Server.lakehouse(dir.resolve("home"), bucket))) {
      Path staging = Path.of(lh.io().properties().get("s3.staging-dir"));
      assertThat(staging.getParent()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
      try (PositionOutputStream out = lh.io().newOutputFile("s3://" + bucket + "/warehouse/x/raw.bin").create()) {
        out.write(raw);
        out.flush();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(staging))).isEqualTo("rwx------");
        assertThat(staged(staging, raw)).as("the upload staged in the owner-only folder").hasSize(1);
      }
      assertThat(staged(staging, raw)).as("removed once uploaded").isEmpty();
      try (var in = lh.io().newInputFile("s3://" + bucket + "/warehouse/x/raw.bin").newStream()) {
        assertThat(in.readAllBytes()).isEqualTo(raw);
      }
    }
  }

  @Test
  void aStagingFolderOpenToOthersOrALinkIsRefusedAndAKilledProcesssStagedFilesGo() throws Exception {
    Path open = Files.createDirectory(dir.resolve("open"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwxrwxrwx")));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx")); // past the umask
    assertThatThrownBy(() -> StagingFolder.ensure(open.toString())).hasMessageContaining("is open to other users")
        .hasMessageContaining("nothing is written");
    Path link = Files.createSymbolicLink(dir.resolve("link"), Files.createDirectory(dir.resolve("target")));
    assertThatThrownBy(() -> StagingFolder.ensure(link.toString())).hasMessageContaining("is not a folder");

    Path mine = dir.resolve("mine");
    Files.createDirectory(mine, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path killed = Files.writeString(mine.resolve("s3fileio-123.tmp"), "raw rows");
    Files.setLastModifiedTime(killed, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
    Path uploading = Files.writeString(mine.resolve("s3fileio-456.tmp"), "raw rows");
    StagingFolder.ensure(mine.toString());
    assertThat(killed).doesNotExist();
    assertThat(uploading).exists();
  }

  @Test
  void theDefaultCacheFolderInTmpIsUsedOnlyWhenItIsThisUsersOwnerOnlyFolder() throws Exception {
    Path source = Files.writeString(dir.resolve("data.parquet"), "rows");
    String tmp = System.getProperty("java.io.tmpdir");
    System.setProperty("java.io.tmpdir", dir.resolve("tmp").toString());
    try {
      Path open = Files.createDirectory(dir.resolve("tmp"));
      Path cacheDir = Files.createDirectory(open.resolve("dataops-cache-" + System.getProperty("user.name", "user")));
      Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString("rwxrwxrwx")); // made first by another
      ReadThroughCache cache = ReadThroughCache.of(java.util.Map.of());
      assertThat(cache.dir()).isEqualTo(cacheDir);
      assertThatThrownBy(() -> cache.local(new LocalFileIO(), source.toString())).hasStackTraceContaining(
          "is open to other users");
      try (Stream<Path> copies = Files.list(cacheDir)) {
        assertThat(copies).as("no copy made in it").isEmpty();
      }
    } finally {
      System.setProperty("java.io.tmpdir", tmp);
    }
  }

  private static List<Path> staged(Path staging, byte[] content) throws java.io.IOException {
    try (Stream<Path> files = Files.list(staging)) {
      return files.filter(f -> f.getFileName().toString().startsWith("s3fileio-")).filter(f -> {
        try {
          return java.util.Arrays.equals(Files.readAllBytes(f), content);
        } catch (java.io.IOException gone) {
          return false;
        }
      }).toList();
    }
  }

  @Test
  void theSecretIsNeverPrinted() {
    LakehouseConfig config = S3Server.lakehouse(dir, "some-bucket");
    assertThat(config.toString()).doesNotContain(S3Server.SECRET_KEY).contains("(hidden)")
        .contains("s3://some-bucket/warehouse");
  }

  @Test
  void badSettingsAreRefusedInOneLine() {
    assertThatThrownBy(() -> new ObjectStore(URI.create("ftp://x"), null, true, null, null))
        .isInstanceOf(BadInputException.class).hasMessageContaining("http://HOST:PORT");
    assertThatThrownBy(() -> new ObjectStore(null, null, true, "key", null))
        .isInstanceOf(BadInputException.class).hasMessageContaining("AWS_SECRET_ACCESS_KEY");
    assertThatThrownBy(() -> ObjectStore.bucketOf("s3:///warehouse"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("names no bucket");
  }
}
