package io.dataops.products.delivery;

import io.dataops.core.AccessDeniedException;
import io.dataops.core.BadInputException;
import io.dataops.core.audit.Actor;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.digest.Digests;
import io.dataops.core.files.OwnerOnly;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.products.lifecycle.ProductAccess;
import io.dataops.products.registry.ProductRegistry;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.VersionState;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

/**
 * A published version delivered to a partner (数据交付): every row of exactly the version's snapshot, streamed into a
 * CSV file (UTF-8, a header, RFC 4180 quoting) the partner takes away, and one audit event ({@code product.deliver}:
 * partner, version, rows, bytes, the file's SHA-256) from which metering and billing count it. A partner's read of a
 * version through {@code table show} is a delivery too ({@link #event}).
 */
public final class Delivery {
  public static final String ACTION = "product.deliver";

  private final Lakehouse lakehouse;
  private final ProductRegistry registry;
  private final AuditSink audit;

  public Delivery(Lakehouse lakehouse, ProductRegistry registry, AuditSink audit) {
    this.lakehouse = lakehouse;
    this.registry = registry;
    this.audit = audit;
  }

  /** What was delivered: the file, its rows and bytes and its SHA-256. */
  public record Result(String product, int version, Path file, long rows, long bytes, String sha256) {}

  public Result deliver(String product, int version, Actor partner, Path out) {
    if (!partner.has("partner")) {
      throw AccessDeniedException.roles("product deliver", partner, "partner");
    }
    ProductVersion v = registry.find(product, version).orElseThrow(() -> new BadInputException("product " + product
        + " has no version " + version + " (see: dataops product list)"));
    ProductAccess.checkRead(v, partner);
    if (v.state() != VersionState.PUBLISHED) {
      throw new BadInputException(v.label() + " is " + v.state().label() + ": only a published version is delivered");
    }
    Path file = out.toAbsolutePath().normalize();
    if (Files.isDirectory(file)) {
      throw new BadInputException("--out names a folder (" + file + "); name the file to write");
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".part");
    long rows;
    String sha256;
    try {
      OwnerOnly.directories(file.getParent());
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (OutputStream raw = OwnerOnly.newOutputStream(tmp);
           DigestOutputStream hashed = new DigestOutputStream(raw, digest);
           BufferedWriter w = new BufferedWriter(new OutputStreamWriter(hashed, StandardCharsets.UTF_8))) {
        rows = write(v, w);
      }
      sha256 = Digests.toHex(digest.digest());
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the failure below is what the user needs to know
      }
      throw new UncheckedIOException("cannot write the delivery to " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long bytes;
    try {
      bytes = Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    audit.record(event(v, partner, rows, bytes, "deliver", sha256));
    return new Result(product, version, file, rows, bytes, sha256);
  }

  /** The audit event of a delivery (what metering counts): the partner, the version, rows, bytes and how. */
  public static AuditEvent event(ProductVersion v, Actor partner, long rows, long bytes, String via, String sha256) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("product", v.product());
    details.put("version", v.version());
    details.put("partner", partner.organization());
    details.put("rows", rows);
    details.put("bytes", bytes);
    details.put("via", via);
    if (sha256 != null) {
      details.put("sha256", sha256);
    }
    return AuditEvent.ok(ACTION, List.of("product:" + v.product() + "@" + v.version(), "snapshot:" + v.snapshotId(),
        "organization:" + partner.organization()), details);
  }

  private long write(ProductVersion v, BufferedWriter w) throws IOException {
    Table table = lakehouse.load(TableIdentifier.parse(v.table()));
    if (table.snapshot(v.snapshotId()) == null) {
      throw new BadInputException(v.label() + ": its snapshot " + v.snapshotId() + " is no longer in " + v.table());
    }
    List<Types.NestedField> columns = table.schemas().get(table.snapshot(v.snapshotId()).schemaId()).columns();
    for (int i = 0; i < columns.size(); i++) {
      w.write(i == 0 ? "" : ",");
      w.write(Csv.field(columns.get(i).name()));
    }
    w.write("\r\n");
    long rows = 0;
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).useSnapshot(v.snapshotId()).build()) {
      for (Record r : records) {
        for (int i = 0; i < columns.size(); i++) {
          w.write(i == 0 ? "" : ",");
          Object value = r.getField(columns.get(i).name());
          w.write(value == null ? "" : Csv.field(Csv.text(value)));
        }
        w.write("\r\n");
        rows++;
      }
    }
    return rows;
  }
}
