package io.dataops.lakehouse.landing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.core.BadInputException;
import io.dataops.lakehouse.storage.ObjectInput;
import io.dataops.lakehouse.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A landing zone in a bucket: departments put feeds under {@code landing/<department>/<dataset>/}; each is landed
 * (its content digest is the landing's dedup key, so an object put twice, or landed by a run that died before moving
 * it, lands once), then moved to {@code landed/} or {@code rejected/} under the same department and dataset, with a
 * reason object beside it ({@code <name>.result.json}). The reason names no value of the feed: landing's refusals
 * never do.
 *
 * <p>Objects are listed, read and moved by their exact keys through the AWS SDK, not through Iceberg's S3FileIO: that
 * takes a location string and parses it as a URI, so a key with '#' or '?' in it (which S3 allows and a clerk may
 * type) could be neither read nor moved.
 *
 * <p>Two runs may take the same zone at once (two operators, the scheduler and an operator): both may land an object
 * (the second finds the first's snapshot by the digest) and both may move it. The first reason object written for an
 * object (it records the object's key and ETag) decides where the object goes; a run that finds one follows it, and a
 * run that finds the object already gone from {@code landing/} and present where the reason says has nothing left to
 * do.
 */
public final class LandingZone {
  public static final String LANDING = "landing/";
  public static final String LANDED = "landed/";
  public static final String REJECTED = "rejected/";
  public static final String RESULT_SUFFIX = ".result.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** One client per store and process, as {@code Documents} keeps one FileIO (URLConnection: no threads to leak). */
  private static final Map<ObjectStore, S3Client> CLIENTS = new ConcurrentHashMap<>();

  /** The largest object CopyObject takes; a larger one is copied in parts (UploadPartCopy), still on the server. */
  static final long COPY_LIMIT = 5L << 30;
  private static final long PART_SIZE = 1L << 30;

  private final S3Client s3;
  private final String root;
  private final String bucket;
  private final String prefix;
  private final long copyLimit;
  private final long partSize;

  /** @param root the zone's bucket and prefix, e.g. {@code s3://intake} or {@code s3://lake/zone} */
  public LandingZone(ObjectStore store, String root) {
    this(CLIENTS.computeIfAbsent(store, ObjectStore::client), root);
  }

  /** A zone read through {@code s3}, which the caller keeps open while the zone is used. */
  public LandingZone(S3Client s3, String root) {
    this(s3, root, COPY_LIMIT, PART_SIZE);
  }

  /** With another copy limit and part size: tests copy a few MiB in parts. */
  LandingZone(S3Client s3, String root, long copyLimit, long partSize) {
    if (!ObjectStore.isObjectLocation(root)) {
      throw new BadInputException("a landing zone is in a bucket (s3://BUCKET[/prefix]), not at '" + root + "'");
    }
    this.s3 = s3;
    this.root = root.endsWith("/") ? root : root + "/";
    this.bucket = ObjectStore.bucketOf(this.root);
    this.prefix = ObjectStore.keyOf(this.root);
    this.copyLimit = copyLimit;
    this.partSize = partSize;
  }

  public String root() {
    return root;
  }

  /**
   * An object waiting under {@code landing/}: its department and dataset (null when its key is not
   * {@code landing/<department>/<dataset>/<name>}), its exact key, its path under {@code landing/} (what a misplaced
   * object is judged and filed by), location (root and key, for messages and reports: never parsed), name, size and
   * ETag (what tells this object from another put later under the same key).
   */
  public record Waiting(String department, String dataset, String key, String path, String location, String name,
      long size, String etag) {
    public boolean wellPlaced() {
      return department != null;
    }
  }

  /**
   * The objects waiting, in key order (a folder marker, a key ending in '/', is no feed). Listed with {@code
   * encoding-type=url}, as S3 asks for keys holding characters XML 1.0 cannot carry (an ESC, say: found by a probe, one
   * such key failed every department's run with a server error); the SDK decodes the keys it is given so.
   */
  public List<Waiting> waiting() {
    List<Waiting> out = new ArrayList<>();
    String landing = prefix + LANDING;
    for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(landing)
        .encodingType(EncodingType.URL)).contents()) {
      String rest = o.key().substring(landing.length());
      if (rest.isEmpty() || rest.endsWith("/")) {
        continue;
      }
      String[] parts = rest.split("/");
      String name = parts[parts.length - 1];
      boolean placed = parts.length == 3 && isName(parts[0]) && isName(parts[1]);
      out.add(new Waiting(placed ? parts[0] : null, placed ? parts[1] : null, o.key(), rest, root + LANDING + rest,
          name, o.size(), unquoted(o.eTag())));
    }
    out.sort(Comparator.comparing(Waiting::key));
    return out;
  }

  /** Whether a folder of the zone can name a department or dataset: as they are registered. */
  public static boolean isName(String part) {
    return part.matches("[a-z][a-z0-9_-]*");
  }

  private static String unquoted(String etag) {
    return etag == null ? "" : etag.replace("\"", "");
  }

  /**
   * The object's user metadata key that names the earlier feed it corrects, the bucket's form of {@code land
   * --replaces}: {@code aws s3 cp fixed.csv s3://BUCKET/landing/DEPT/DATASET/ --metadata replaces=FEED_ID} (S3 stores
   * it as the header {@code x-amz-meta-replaces}).
   */
  public static final String REPLACES_METADATA = "replaces";

  /** What the sender said of a waiting object in its user metadata: the feed it replaces (else null). */
  public record SenderMetadata(String replaces) {}

  /**
   * The object's user metadata, read conditionally on its ETag: null when another content was put under its key since
   * it was listed (that one waits for the next run, as a move finding it does). A value naming no feed id is refused
   * here, with the metadata named, before anything is read.
   */
  public SenderMetadata metadata(Waiting w) {
    Map<String, String> meta;
    try {
      meta = s3.headObject(b -> b.bucket(bucket).key(w.key()).ifMatch(quoted(w.etag()))).metadata();
    } catch (S3Exception e) {
      if (e.statusCode() == 412) {
        return null;
      }
      if (e.statusCode() == 404) {
        return new SenderMetadata(null); // gone: the landing's read says so, and the move finds it vanished
      }
      throw e;
    }
    String replaces = meta.get(REPLACES_METADATA);
    if (replaces == null) {
      return new SenderMetadata(null);
    }
    String id = replaces.strip();
    if (!FeedReplacement.isFeedId(id)) {
      throw new BadInputException("the object's metadata " + REPLACES_METADATA + " is "
          + (id.isEmpty() ? "empty" : "no feed id") + ": it names the feed the object corrects, as landings report "
          + "its id (such as 20261204T174206Z-1a2b3c4d; see: dataops table history); put the object again with "
          + "--metadata " + REPLACES_METADATA + "=FEED_ID, or without it to land it as a new feed");
    }
    return new SenderMetadata(id);
  }

  /**
   * The feed's bytes, for {@link Landing}, read by the object's exact key and pinned to its listed ETag: an object
   * replaced after the listing (or between two ranged reads) fails the read with a
   * {@link java.util.ConcurrentModificationException} rather than landing a mix of two contents.
   */
  public FeedFile feed(Waiting w) {
    return new FeedFile(w.name(), new ObjectInput(s3, bucket, w.key(), w.location(), w.size(),
        w.etag().isEmpty() ? null : w.etag()));
  }

  /** Puts a local file into the zone as a department would (the demo does); returns its location. */
  public String put(String department, String dataset, Path file) {
    String rest = department + "/" + dataset + "/" + file.getFileName();
    s3.putObject(b -> b.bucket(bucket).key(prefix + LANDING + rest), RequestBody.fromFile(file));
    return root + LANDING + rest;
  }

  /** How an object left {@code landing/}. */
  public enum How {
    /** This run moved it (or finished a move begun by a run that died). */
    MOVED,
    /** Another run had moved it already; {@link Moved#location()} is where. */
    BY_ANOTHER_RUN,
    /** It is gone and nowhere in {@code landed/} or {@code rejected/}: its sender removed it. */
    VANISHED,
    /**
     * Its sender put another content under the same key while this run landed or moved it: the new content stays
     * waiting for the next run, and nothing of the old one is moved (what this run landed of it stays landed).
     */
    REPLACED,
    /**
     * This run copied it to {@link Moved#location()} with its reason object, but its sender put another content under
     * the same key before the original was removed from {@code landing/} (the conditional delete answered 412): the
     * copy and its reason stand for the content this run took, and the new content waits for the next run.
     */
    COPIED
  }

  /** Where an object went ({@code null} when it vanished) and how. */
  public record Moved(String location, How how) {
    /** Whether this run's reason object is the one beside the object's copy (moved, or copied only). */
    public boolean byThisRun() {
      return how == How.MOVED || how == How.COPIED;
    }
  }

  /** Moves a landed object to {@code landed/} with what its landing gave. */
  public Moved landed(Waiting w, Map<String, Object> result) {
    return move(w, LANDED, result);
  }

  /** Moves a refused object to {@code rejected/} with the one-line reason. */
  public Moved rejected(Waiting w, String reason) {
    return move(w, REJECTED, Map.of("reason", reason));
  }

  /**
   * Moves an object whose landing stopped with an internal error (the platform's fault, not a refusal of the feed) to
   * {@code rejected/}: its reason object says {@code "failed": true} beside the reason, so that the department can
   * tell the platform's failure from a refusal of its file.
   */
  public Moved failed(Waiting w, String reason) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("reason", reason);
    result.put("failed", true);
    return move(w, REJECTED, result);
  }

  /**
   * The reason object first, then a server-side copy, then the removal from {@code landing/}: a crash leaves the
   * object waiting (landing it again finds its digest and says which snapshot has it), never lost. The source gone and
   * the destination present is success: another run moved it.
   */
  private Moved move(Waiting w, String to, Map<String, Object> result) {
    String rest = fitted(filed(w));
    Optional<String> begun = movedBefore(w, rest);
    String chosen = begun.orElse(null);
    boolean wroteReason = false;
    if (chosen == null) {
      // Read the wanted name's reason once more: another run may have written it since movedBefore looked.
      String wanted = to + rest;
      JsonNode there = reason(wanted);
      boolean free = there == null && !exists(prefix + wanted);
      chosen = free || isThis(there, w) ? wanted : wanted + "." + w.etag();
      wroteReason = !isThis(there, w);
    }
    String target = chosen;
    if (wroteReason) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("object", w.location());
      body.put("etag", w.etag());
      body.putAll(result);
      try {
        byte[] json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        s3.putObject(b -> b.bucket(bucket).key(prefix + target + RESULT_SUFFIX), RequestBody.fromBytes(json));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the reason object of " + w.location(), e);
      }
    }
    io.dataops.core.CommitPoint.reached("bucket-object-moving");
    try {
      copy(w, prefix + target);
    } catch (S3Exception e) {
      if (e.statusCode() == 412) {
        // The key holds another content now (its ETag changed): that one was neither landed nor judged by this run.
        if (wroteReason) {
          deleteIfThere(prefix + target + RESULT_SUFFIX);
        }
        return new Moved(null, How.REPLACED);
      }
      if (e.statusCode() != 404) {
        throw e;
      }
      return sourceGone(w, rest, target, wroteReason);
    }
    io.dataops.core.CommitPoint.reached("bucket-object-copied");
    return new Moved(root + target, removeFromLanding(w) ? How.MOVED : How.COPIED);
  }

  /**
   * The object's path under {@code landing/} as it is filed under {@code landed/} or {@code rejected/}: the same,
   * except that a department's folder put in upper case ({@code Public-Security/}) is filed under its lower-case name,
   * where the department looks for its refused objects (only a refusal can meet one: such an object is no feed).
   */
  private String filed(Waiting w) {
    String rest = w.path();
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String lower = rest.substring(0, slash).toLowerCase(Locale.ROOT);
      if (isName(lower)) {
        return lower + rest.substring(slash);
      }
    }
    return rest;
  }

  /**
   * Removes the moved object from {@code landing/}, only if it is still the content copied: a delete conditional on
   * its ETag, so that a content put again under the key after the copy waits for the next run instead of being
   * deleted unseen. A server without conditional deletes (501, or 400 naming the header) gets a plain delete.
   *
   * @return false when the key holds another content now (412), which stays: the object was copied, not moved
   */
  private boolean removeFromLanding(Waiting w) {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(w.key()).ifMatch(quoted(w.etag())));
    } catch (S3Exception e) {
      if (e.statusCode() == 412) {
        return false; // replaced after the copy: the new content stays
      }
      if (e.statusCode() == 404) {
        return true;
      }
      if (conditionUnsupported(e)) {
        deleteIfThere(w.key());
        return true;
      }
      throw e;
    }
    return true;
  }

  /**
   * Whether a refused conditional delete means the server knows no such condition (501, or a 400 that names the
   * header or says it is not implemented), rather than another fault, which must not turn into an unconditional delete.
   */
  static boolean conditionUnsupported(S3Exception e) {
    if (e.statusCode() == 501) {
      return true;
    }
    if (e.statusCode() != 400) {
      return false;
    }
    var details = e.awsErrorDetails();
    String code = details == null || details.errorCode() == null ? "" : details.errorCode();
    String message = details == null || details.errorMessage() == null ? "" : details.errorMessage();
    return code.equals("NotImplemented") || message.toLowerCase(Locale.ROOT).contains("if-match");
  }

  private static String quoted(String etag) {
    return "\"" + etag + "\"";
  }

  /** S3's longest key, in UTF-8 bytes. */
  static final int MAX_KEY_BYTES = 1024;

  /**
   * The name under {@code landed/} or {@code rejected/} for an object at {@code landing/<rest>}: the same, unless the
   * longest key this zone may write for it (the other folder's name, the ETag suffix of a name taken, the reason's
   * suffix) would pass S3's 1,024 bytes. Then the file name is cut at a character boundary and ends in '~' and 16 hex
   * digits of the SHA-256 of the whole rest, which every run computes alike; the reason object records the original key.
   */
  String fitted(String rest) {
    int reserve = (prefix + REJECTED + "." + RESULT_SUFFIX).getBytes(StandardCharsets.UTF_8).length + 64; // 64: ETag
    int room = MAX_KEY_BYTES - reserve;
    byte[] bytes = rest.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= room) {
      return rest;
    }
    int slash = rest.lastIndexOf('/');
    String folder = rest.substring(0, slash + 1);
    int keep = room - folder.getBytes(StandardCharsets.UTF_8).length - ShortNames.TAIL;
    if (keep < 1) {
      throw new BadInputException("the key of " + root + LANDING + rest.substring(0, Math.min(64, rest.length()))
          + "… is too long to be moved (its folders alone pass S3's 1,024 bytes)");
    }
    return folder + ShortNames.cut(rest.substring(slash + 1), keep, ShortNames.Measure.UTF8_BYTES, rest);
  }

  /**
   * A server-side copy: no byte of the feed passes through this process. It is conditional on the source's ETag
   * (the content this run landed or judged): another content put under the key since answers 412.
   */
  private void copy(Waiting w, String to) {
    String from = w.key();
    long size = w.size();
    String sourceEtag = quoted(w.etag());
    if (size <= copyLimit) {
      s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to)
          .copySourceIfMatch(sourceEtag));
      return;
    }
    String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key(to)).uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>();
      for (long start = 0; start < size; start += partSize) {
        int number = parts.size() + 1;
        String range = "bytes=" + start + "-" + (Math.min(size, start + partSize) - 1);
        String etag = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket)
            .destinationKey(to).uploadId(upload).partNumber(number).copySourceRange(range).copySourceIfMatch(sourceEtag))
            .copyPartResult().eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      }
      s3.completeMultipartUpload(b -> b.bucket(bucket).key(to).uploadId(upload).multipartUpload(m -> m.parts(parts)));
    } catch (RuntimeException e) {
      s3.abortMultipartUpload(b -> b.bucket(bucket).key(to).uploadId(upload));
      throw e;
    }
  }

  /** The copy found no source: another run moved it (to here or elsewhere), or its sender took it back. */
  private Moved sourceGone(Waiting w, String rest, String target, boolean wroteReason) {
    if (exists(prefix + target)) {
      return new Moved(root + target, How.BY_ANOTHER_RUN);
    }
    if (wroteReason) {
      deleteIfThere(prefix + target + RESULT_SUFFIX); // leave no reason without its object
    }
    return movedBefore(w, rest).filter(t -> exists(prefix + t)).map(t -> new Moved(root + t, How.BY_ANOTHER_RUN))
        .orElse(new Moved(null, How.VANISHED));
  }

  /** Where a reason object for this very object (its key and ETag) already is, relative to the zone's root. */
  private Optional<String> movedBefore(Waiting w, String rest) {
    for (String to : List.of(LANDED, REJECTED)) {
      for (String candidate : List.of(to + rest, to + rest + "." + w.etag())) {
        if (isThis(reason(candidate), w)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a reason object records this very object (its key and ETag). Another content moved before under the same
   * name (the name put again) makes the move take the name with this object's ETag appended, which two runs moving
   * the same object choose alike.
   */
  private static boolean isThis(JsonNode reason, Waiting w) {
    return reason != null && w.location().equals(reason.path("object").asText())
        && w.etag().equals(reason.path("etag").asText());
  }

  private JsonNode reason(String target) {
    try (var in = s3.getObject(b -> b.bucket(bucket).key(prefix + target + RESULT_SUFFIX))) {
      return JSON.readTree(in);
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return null;
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the reason object of " + root + target, e);
    }
  }

  private boolean exists(String key) {
    return io.dataops.lakehouse.storage.ObjectInput.exists(s3, bucket, key);
  }

  private void deleteIfThere(String key) {
    s3.deleteObject(b -> b.bucket(bucket).key(key)); // S3 answers a delete of a missing key with success
  }
}
