package io.dataops.products.delivery;

import io.dataops.core.AccessDeniedException;
import io.dataops.core.BadInputException;
import io.dataops.core.StateRefusedException;
import io.dataops.core.audit.Actor;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.audit.BegunAction;
import io.dataops.core.csv.CsvFields;
import io.dataops.core.digest.Digests;
import io.dataops.core.files.OutFiles;
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
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import io.dataops.lakehouse.storage.ObjectStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A published version delivered to a partner (数据交付): every row of exactly the version's snapshot, streamed into a
 * CSV file (UTF-8, a header, RFC 4180 quoting) the partner takes away, and one audit event ({@code product.deliver}:
 * partner, version, rows, bytes, the file's SHA-256) from which metering and billing count it, recorded once the file
 * has its name (a {@link #BEGUN} record before the move, a failed {@code product.deliver} if the move fails: see
 * {@link #deliver}). A partner's read of a
 * version through {@code table show} is a delivery too ({@link #event}). With the warehouse on object storage a
 * partner may instead take the CSV by a presigned GET URL with an expiry ({@link #deliverByUrl}): the object is
 * written under {@code s3://BUCKET/deliveries/<product>/v<N>/}, which a destruction of the version removes. A version
 * is handed over only while its operator may still provide it ({@link DeliveryCheck}: the platform asks its grants),
 * checked before the rows are written and again before the hand-over; a refusal is a {@code product.deliver} event
 * with outcome refused.
 */
public final class Delivery {
  public static final String ACTION = "product.deliver";
  /** A delivery to a file whose hand-over began: the file is moved to its name next (see {@link #deliver}). */
  public static final String BEGUN = BegunAction.begun(ACTION);
  /** The detail naming a begun delivery in its end's event (the delivery's, or a failed one). */
  public static final String BEGUN_ID = BegunAction.ID;

  private final Lakehouse lakehouse;
  private final ProductRegistry registry;
  private final AuditSink audit;
  private final DeliveryCheck check;

  public Delivery(Lakehouse lakehouse, ProductRegistry registry, AuditSink audit) {
    this(lakehouse, registry, audit, DeliveryCheck.NONE);
  }

  private Delivery(Lakehouse lakehouse, ProductRegistry registry, AuditSink audit, DeliveryCheck check) {
    this.lakehouse = lakehouse;
    this.registry = registry;
    this.audit = audit;
    this.check = check;
  }

  /** This delivery, asking {@code check} whether a version may still be provided before and at each hand-over. */
  public Delivery checkingBeforeDelivery(DeliveryCheck check) {
    return new Delivery(lakehouse, registry, audit, check);
  }

  /** What was delivered: the file, its rows and bytes and its SHA-256. */
  public record Result(String product, int version, Path file, long rows, long bytes, String sha256) {}

  public Result deliver(String product, int version, Actor partner, Path out) {
    ProductVersion v = deliverable(product, version, partner, "deliver").version();
    Path file = OutFiles.resolved(out);
    if (Files.isDirectory(file)) {
      throw new BadInputException("--out names a folder (" + file + "); name the file to write");
    }
    // A name of this delivery's own, created new: two deliveries to one file at once each write their own (a shared
    // name truncated the other's half-written file, then failed its move), and a link planted under the name in a
    // shared folder is refused, not followed to truncate what it points at. A long name is shortened to leave room
    // for the suffix: a legal name of 244 characters failed with "File name too long".
    Path tmp = OutFiles.beside(file, "." + ProcessHandle.current().pid() + "-"
        + java.util.UUID.randomUUID().toString().substring(0, 8) + ".part");
    long rows;
    long bytes;
    String sha256;
    boolean handedOver = false;
    try {
      OutFiles.checkName(file);
      OwnerOnly.directories(file.getParent());
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (OutputStream raw = OwnerOnly.newOutputStream(tmp, StandardOpenOption.CREATE_NEW);
           DigestOutputStream hashed = new DigestOutputStream(raw, digest);
           BufferedWriter w = new BufferedWriter(new OutputStreamWriter(hashed, StandardCharsets.UTF_8))) {
        rows = write(v, w);
      }
      sha256 = Digests.toHex(digest.digest());
      bytes = Files.size(tmp);
      // Still published now that it is written: a seal or a withdrawal while the rows were written (found by a
      // probe: a delivery paused across a seal handed the sealed version over, audited and billed); and still
      // provided: a grant revoked meanwhile stops the hand-over too.
      io.dataops.core.CommitPoint.reached("delivery-written");
      Long grant = deliverable(product, version, partner, "deliver").verdict().grant();
      AuditEvent delivered = event(v, partner, rows, bytes, "deliver", sha256, grant);
      // Three records around the move, none of them a delivery before the file has its name (found by a probe: the
      // move over an immutable file failed after the delivery's event, which was metered, billed and certified):
      // - BEGUN, before the move, under the state check (no seal or destruction comes between the check and it): a
      //   kill after it leaves its .part file, or the file under its name, with the trail saying so; a destruction
      //   certificate lists a begun delivery with no end recorded as a copy that may be outside (the side to err on:
      //   a file under the partner's name with no record at all would be a copy no certificate names);
      // - the delivery's event once the file has its name: what metering counts and billing charges, so a kill
      //   between the move and it leaves the partner uncharged (a re-run is a new delivery, charged once), never
      //   charged for a file that was not handed over;
      // - a failed product.deliver naming the begun one when the move fails: nothing was handed over.
      //   A trail that cannot take the failed one leaves the begun one without its end (a copy that may be outside).
      BegunAction begun = BegunAction.of(delivered);
      handOver(v, begun.begun());
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException notMoved) {
        begun.recordFailed(audit, notMoved);
        throw notMoved;
      }
      handedOver = true;
      try {
        audit.record(begun.done());
      } catch (RuntimeException unrecorded) {
        // not handed over without its event: the file goes, as the .part file would have
        try {
          Files.deleteIfExists(file);
        } catch (IOException cleanup) {
          unrecorded.addSuppressed(cleanup);
        }
        throw unrecorded;
      }
    } catch (IOException e) {
      throw OutFiles.failure("the delivery", file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } finally {
      if (!handedOver) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the failure being thrown is what the user needs to know
        }
      }
    }
    return new Result(product, version, file, rows, bytes, sha256);
  }

  /**
   * Records a delivery's event ({@link #event}) while the version is still published, in one transaction with its
   * state (see {@link ProductRegistry#recordWhile}): a seal between the last check and the event would let the version
   * be destroyed with a certificate that lists its deliveries without this one. Refused (nothing recorded) when it is
   * no longer published; the caller hands the rows over only after this returns.
   */
  public void handOver(ProductVersion v, AuditEvent event) {
    if (!registry.recordWhile(v.product(), v.version(), VersionState.PUBLISHED, audit, event)) {
      ProductVersion now = registry.find(v.product(), v.version()).orElse(v);
      throw new StateRefusedException(now.label() + " is " + now.state().label() + ": only a published version is "
          + "delivered", List.of("product:" + now.product() + "@" + now.version()));
    }
  }

  /** A version found deliverable, and the check's verdict (the grant it is provided under). */
  private record Deliverable(ProductVersion version, DeliveryCheck.Verdict verdict) {}

  private Deliverable deliverable(String product, int version, Actor partner, String via) {
    if (!partner.has("partner")) {
      throw AccessDeniedException.roles("product deliver", partner, "partner");
    }
    ProductVersion v = registry.find(product, version).orElseThrow(() -> notFound(product, version));
    if (!ProductAccess.mayName(v, partner)) {
      // Found in review: a partner asking for a draft by number was told it exists and its state ("v2 is draft"),
      // which product show and product list hide from them. Answered as a version that does not exist; recorded.
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("product", product);
      details.put("version", version);
      details.put("partner", partner.organization());
      details.put("via", via);
      details.put("reason", v.label() + " is " + v.state().label() + " and was never published");
      audit.record(new AuditEvent(ACTION, List.of("product:" + product + "@" + version, "organization:"
          + partner.organization()), AuditEvent.REFUSED, details));
      throw notFound(product, version);
    }
    ProductAccess.checkRead(v, partner);
    if (v.state() != VersionState.PUBLISHED) {
      throw new StateRefusedException(v.label() + " is " + v.state().label() + ": only a published version is "
          + "delivered", List.of("product:" + v.product() + "@" + v.version()));
    }
    return new Deliverable(v, provided(v, partner, via));
  }

  /** A version that does not exist and one the partner is never told of get this same answer. */
  private static io.dataops.core.NotFoundException notFound(String product, int version) {
    return new io.dataops.core.NotFoundException("product " + product + " has no version " + version + " you may see"
        + " (see: dataops product list)");
  }

  /**
   * Whether the published version {@code v} may still be handed to {@code partner} ({@link DeliveryCheck}); a refusal
   * is recorded (a {@code product.deliver} event, outcome refused, with the reason and the grants it names) and
   * thrown. {@code via} says how it would have been handed over, as in {@link #event}.
   */
  public DeliveryCheck.Verdict provided(ProductVersion v, Actor partner, String via) {
    DeliveryCheck.Verdict verdict = check.check(v);
    if (verdict.allowed()) {
      return verdict;
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("product", v.product());
    details.put("version", v.version());
    details.put("partner", partner.organization());
    details.put("via", via);
    details.put("grants", verdict.grants());
    details.put("reason", verdict.refusal());
    List<String> objects = new java.util.ArrayList<>(List.of("product:" + v.product() + "@" + v.version(),
        "snapshot:" + v.snapshotId(), "organization:" + partner.organization()));
    verdict.grants().forEach(g -> objects.add("grant:" + g));
    audit.record(new AuditEvent(ACTION, objects, AuditEvent.REFUSED, details));
    throw new BadInputException(v.label() + " is not delivered: " + verdict.refusal());
  }

  /** The longest a presigned URL may live: AWS Signature V4 allows seven days. */
  public static final Duration MAX_EXPIRY = Duration.ofDays(7);

  /**
   * A delivery by URL: the CSV object, where it is, the presigned GET URL (a bearer credential: returned to the
   * partner, never logged or audited), when it expires, rows, bytes and the SHA-256.
   */
  public record Presigned(String product, int version, String object, URI url, Instant expiresAt, long rows,
      long bytes, String sha256) {
    @Override
    public String toString() {
      return "Presigned[" + product + " v" + version + ", " + object + ", url=(hidden), expiresAt=" + expiresAt + "]";
    }
  }

  /** Where a version's deliveries by URL are kept: {@code s3://BUCKET/deliveries/<product>/v<N>/}. */
  public static String prefixOf(String warehouse, String product, int version) {
    return "s3://" + ObjectStore.bucketOf(warehouse) + "/deliveries/" + product + "/"
        + ProductVersion.tagOf(version) + "/";
  }

  /**
   * Removes the objects of a version's deliveries by URL, so that every URL handed out for it stops working now
   * rather than at its expiry: when the version is sealed or destroyed. Nothing to do on a local warehouse.
   */
  public static void removeObjects(Lakehouse lakehouse, String product, int version) {
    if (lakehouse.config().onObjectStorage()
        && lakehouse.io() instanceof org.apache.iceberg.io.SupportsPrefixOperations prefixes) {
      prefixes.deletePrefix(prefixOf(lakehouse.config().warehouse(), product, version));
    }
  }

  /** A duration as --expires takes it (8d, 90m, 45s), not ISO's PT192H. */
  private static String spoken(Duration d) {
    long s = d.getSeconds();
    return s % 86_400 == 0 ? s / 86_400 + "d" : s % 3_600 == 0 ? s / 3_600 + "h" : s % 60 == 0 ? s / 60 + "m"
        : s + "s";
  }

  /**
   * Writes the version's CSV as an object of the warehouse's bucket and hands the partner a presigned GET URL that
   * stops working after {@code expiry}; audited (and so metered) as a delivery {@code via presigned-url}.
   */
  public Presigned deliverByUrl(String product, int version, Actor partner, Duration expiry) {
    if (!lakehouse.config().onObjectStorage()) {
      throw new BadInputException("a delivery by URL needs the warehouse on object storage (s3://BUCKET/prefix); "
          + "deliver to a file with --out");
    }
    if (expiry.compareTo(Duration.ofSeconds(1)) < 0 || expiry.compareTo(MAX_EXPIRY) > 0) {
      throw new BadInputException("a presigned URL expires after 1 second to 7 days, not " + spoken(expiry));
    }
    ProductVersion v = deliverable(product, version, partner, "presigned-url").version();
    String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
    String object = prefixOf(lakehouse.config().warehouse(), product, version) + partner.organization() + "/"
        + stamp + "-" + java.util.UUID.randomUUID().toString().substring(0, 8) + ".csv";
    long rows;
    String sha256;
    CountingStream counted;
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (OutputStream raw = lakehouse.io().newOutputFile(object).create();
           CountingStream counting = new CountingStream(raw);
           DigestOutputStream hashed = new DigestOutputStream(counting, digest);
           BufferedWriter w = new BufferedWriter(new OutputStreamWriter(hashed, StandardCharsets.UTF_8))) {
        counted = counting;
        rows = write(v, w);
      }
      sha256 = Digests.toHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the delivery to " + object, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    Instant expiresAt = Instant.now().plus(expiry);
    URI url;
    try (S3Presigner presigner = lakehouse.config().objectStore().presigner()) {
      url = URI.create(presigner.presignGetObject(r -> r.signatureDuration(expiry)
          .getObjectRequest(g -> g.bucket(ObjectStore.bucketOf(object)).key(ObjectStore.keyOf(object))))
          .url().toString());
    }
    // The last check and the event under the version's hand-out lock: a seal or destruction removes the version's
    // objects and moves its state under it, so this object was either written before that removal (and is removed
    // by it) or is checked after the move (and refused here), even when the seal is killed right after its move.
    try (var held = registry.handouts(product, version, "handing out a URL of " + v.label())) {
      Long grant;
      try {
        // still published and provided now that it is written (as deliver checks)
        grant = deliverable(product, version, partner, "presigned-url").verdict().grant();
      } catch (RuntimeException moved) {
        lakehouse.io().deleteFile(object);
        throw moved;
      }
      AuditEvent e = event(v, partner, rows, counted.count, "presigned-url", sha256, grant);
      Map<String, Object> details = new LinkedHashMap<>(e.details());
      details.put("object", object);
      details.put("expiresAt", expiresAt.toString());
      try {
        handOver(v, new AuditEvent(e.action(), e.objects(), e.outcome(), details));
      } catch (RuntimeException unrecorded) {
        // The URL is handed out only with its event; the object nobody can reach without it goes too.
        try {
          lakehouse.io().deleteFile(object);
        } catch (RuntimeException cleanup) {
          unrecorded.addSuppressed(cleanup);
        }
        throw unrecorded;
      }
    }
    return new Presigned(product, version, object, url, expiresAt, rows, counted.count, sha256);
  }

  /** Counts the bytes written through it. */
  private static final class CountingStream extends java.io.FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }

  /**
   * The audit event of a delivery (what metering counts): the partner, the version, rows, bytes and how, and the
   * grant it was provided under (null: none governs it).
   */
  public static AuditEvent event(ProductVersion v, Actor partner, long rows, long bytes, String via, String sha256,
      Long grant) {
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
    if (grant != null) {
      details.put("grant", grant);
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
      w.write(CsvFields.exact(columns.get(i).name()));
    }
    w.write("\r\n");
    long rows = 0;
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).useSnapshot(v.snapshotId()).build()) {
      for (Record r : records) {
        for (int i = 0; i < columns.size(); i++) {
          w.write(i == 0 ? "" : ",");
          Object value = r.getField(columns.get(i).name());
          w.write(CsvFields.exact(value == null ? null : text(value)));
        }
        w.write("\r\n");
        rows++;
      }
    } catch (RuntimeException e) {
      if (notParquet(e)) {
        // Found by a probe: a data file altered on disk ended the delivery as an internal error.
        throw new BadInputException(v.label() + ": a data file of this version is no longer the Parquet file it was "
            + "(it was changed outside the platform): nothing is delivered; dataops product verify " + v.product()
            + " " + v.version() + " names it");
      }
      throw e;
    }
    return rows;
  }

  /**
   * Whether parquet-java refused a file as no Parquet file, or as one it cannot decode (Iceberg says it could not open
   * it; a file gone is a NotFoundException, not this).
   */
  private static boolean notParquet(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (message.contains("is not a Parquet file") || message.startsWith("Failed to open Parquet file")
          || t.getClass().getName().startsWith("org.apache.parquet.")) {
        return true;
      }
    }
    return false;
  }

  /**
   * A value as delivered: exactly (a decimal without an exponent). Not changed for spreadsheets as the department's
   * report is ({@link CsvFields#forSpreadsheet}): a delivery is data the partner's programs read back and count.
   */
  private static String text(Object value) {
    return value instanceof BigDecimal d ? d.toPlainString() : value.toString();
  }
}
